"""The legal-education alliance (普法教育联盟): its pages, member bodies and event registrations.

The tree editors can build is fixed by the page types: one ``AllianceIndexPage`` below the home
page, with news, events and teaching resources directly below it. Member bodies (court,
procuratorate, police, schools …) are snippets, so one logo and description serve every page
that names them. Registrations for events are records, not content: they change only through
``alliance.services``, which enforces the capacity under a row lock.

The tables keep the names they had when the alliance lived in ``schools`` (``schools_*``):
the move changed only where the code lives (see ``alliance/migrations/0001_initial.py``).
"""

from .events import AllianceEventPage, EventRegistration
from .members import AllianceMember, EventKind, GradeBand, MemberCategory, RegistrationState, TeachingResourceKind
from .pages import AllianceIndexPage, AllianceNewsPage
from .resources import TeachingResourceDocument, TeachingResourcePage

__all__ = [
    "AllianceEventPage",
    "AllianceIndexPage",
    "AllianceMember",
    "AllianceNewsPage",
    "EventKind",
    "EventRegistration",
    "GradeBand",
    "MemberCategory",
    "RegistrationState",
    "TeachingResourceDocument",
    "TeachingResourceKind",
    "TeachingResourcePage",
]
