"""The workstation directory: the district centre, street/town workstations and guidance stations.

Models in ``models``, the directory page's filters and map in ``directory``, the admin snippets
in ``wagtail_hooks``. The tables keep the ``home_*`` names they had before the app moved out of
``home`` (see ``migrations/0001_initial.py``).
"""
