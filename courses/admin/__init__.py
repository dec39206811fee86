"""The course admin, by kind: records, reports, the question bank, certificates.

``courses/wagtail_hooks.py`` registers what these modules define; nothing here registers itself.
"""
