"""Every model, service and helper of another app that the demo recipes use, in one place.

The recipes import from here only, so when a model moves to another app (taxonomy, search,
workstations, alliance) the demo app needs a change in this one file.
"""

from __future__ import annotations

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from wagtailmedia import get_media_model
from wagtailmedia.models import MediaType

from accounts.models import User
from accounts.roles import Role, add_role, roles_of
from alliance.models import (
    AllianceEventPage,
    AllianceIndexPage,
    AllianceMember,
    AllianceNewsPage,
    EventRegistration,
    TeachingResourceDocument,
    TeachingResourcePage,
)
from core.exports import table_to_xlsx
from courses import services as course_services
from courses.certificates import issue_certificate, register_font
from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage, LessonProgress, Question, QuizPage
from courses.question_bank import COLUMNS as QUESTION_COLUMNS
from courses.question_bank import import_questions
from guidance import services as guidance_services
from guidance.models import Court, CourtLiaison, GuidancePlan
from home.models import HomePage, SiteContactSettings, StandardPage
from library.models import LibraryIndexPage, ResourcePage
from participation import rollups as participation_rollups
from participation import services as participation_services
from participation.models import Child, GroupAssignment, ParentProfile, ParentSchool, SchoolClass
from schools import services as case_services
from schools.models import (
    BullyingReport,
    CaseEvent,
    InvolvedStudent,
    School,
    SchoolMembership,
    State,
    StreetTown,
)
from search.models import SearchSynonym
from taxonomy.models import AgeGroup, Topic
from workstations.models import (
    AppointmentSlot,
    Booking,
    EventSignup,
    SessionRecord,
    StationService,
    Street,
    StreetEvent,
    Workstation,
    WorkstationIndexPage,
    WorkstationMembership,
)

__all__ = [
    "QUESTION_COLUMNS",
    "AgeGroup",
    "AllianceEventPage",
    "AllianceIndexPage",
    "AllianceMember",
    "AllianceNewsPage",
    "AppointmentSlot",
    "Authenticator",
    "Booking",
    "BullyingReport",
    "CaseEvent",
    "Child",
    "Court",
    "CourtLiaison",
    "CourseIndexPage",
    "CoursePage",
    "EmailAddress",
    "Enrolment",
    "EventRegistration",
    "EventSignup",
    "GroupAssignment",
    "GuidancePlan",
    "HomePage",
    "InvolvedStudent",
    "LessonPage",
    "LessonProgress",
    "LibraryIndexPage",
    "MediaType",
    "Page",
    "ParentProfile",
    "ParentSchool",
    "Question",
    "QuizPage",
    "ResourcePage",
    "Role",
    "School",
    "SchoolClass",
    "SchoolMembership",
    "SearchSynonym",
    "SessionRecord",
    "Site",
    "SiteContactSettings",
    "StandardPage",
    "State",
    "StationService",
    "Street",
    "StreetEvent",
    "StreetTown",
    "TeachingResourceDocument",
    "TeachingResourcePage",
    "Topic",
    "User",
    "Workstation",
    "WorkstationIndexPage",
    "WorkstationMembership",
    "add_role",
    "case_services",
    "course_services",
    "get_document_model",
    "get_image_model",
    "get_media_model",
    "get_mfa_adapter",
    "guidance_services",
    "import_questions",
    "issue_certificate",
    "participation_rollups",
    "participation_services",
    "register_font",
    "roles_of",
    "table_to_xlsx",
]
