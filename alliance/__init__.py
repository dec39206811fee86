"""The legal-education alliance's behaviour: registration rules, the form, views, exports and admin.

Models live in ``schools.models.alliance``; everything that changes a registration goes
through ``services``.
"""
