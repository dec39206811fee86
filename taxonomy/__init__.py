"""The shared taxonomy: topics and child age groups that courses, quizzes and the library tag with.

Models (and the editor's panel for a page's tags) in ``models``, the admin snippets in
``wagtail_hooks``. The tables keep the ``courses_*`` names they had before the app moved out
of ``courses`` (see ``migrations/0001_initial.py``).
"""
