"""The fixed vocabularies of a bullying case (state, place, kinds, harm, determinations, measures,
what may be shared with the school) and the mandatory-report rule that reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .cases import BullyingReport


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    INVESTIGATING = "investigating", _("Investigating")
    DETERMINED = "determined", _("Determined")
    HANDLING = "handling", _("Handling")
    CLOSED = "closed", _("Closed")
    REVIEW_REQUESTED = "review_requested", _("Review requested")


class Place(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    CORRIDOR = "corridor", _("Corridor or stairs")
    PLAYGROUND = "playground", _("Playground or sports ground")
    TOILET = "toilet", _("Toilet")
    CANTEEN = "canteen", _("Canteen")
    DORMITORY = "dormitory", _("Dormitory")
    WAY_TO_SCHOOL = "way_to_school", _("On the way to or from school")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Somewhere else")


class BullyingType(models.TextChoices):
    PHYSICAL = "physical", _("Physical (hitting, pushing, kicking)")
    VERBAL = "verbal", _("Verbal (insults, threats, mocking)")
    RELATIONAL = "relational", _("Relational (leaving out, spreading rumours)")
    CYBER = "cyber", _("Cyber (online messages, photos, group chats)")
    PROPERTY = "property", _("Property (taking or damaging belongings, demanding money)")


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    SEVERAL = "several", _("A few times")
    REPEATED = "repeated", _("Repeatedly or ongoing")


class Injury(models.TextChoices):
    NONE = "none", _("No injury")
    MINOR = "minor", _("Minor injury, no medical care needed")
    MEDICAL = "medical", _("Injury that needed medical care")
    SERIOUS = "serious", _("Serious injury (hospital)")


class Severity(models.TextChoices):
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")
    SEVERE = "severe", _("Severe")


class Determination(models.TextChoices):
    BULLYING = "bullying", _("Bullying confirmed")
    NOT_BULLYING = "not_bullying", _("Not bullying")
    PLAY_FIGHTING = "play_fighting", _("Play-fighting")


class CommitteeRole(models.TextChoices):
    PRINCIPAL = "principal", _("Principal or vice-principal")
    TEACHER = "teacher", _("Teacher")
    CLASS_TEACHER = "class_teacher", _("Class teacher")
    PSYCHOLOGIST = "psychologist", _("School psychologist")
    PARENT = "parent", _("Parent representative")
    LEGAL_ADVISER = "legal_adviser", _("Legal adviser")
    POLICE_LIAISON = "police_liaison", _("Police liaison officer")
    COMMUNITY = "community", _("Community or social worker")


class Measure(models.TextChoices):
    EDUCATION = "education", _("Education")
    COUNSELLING = "counselling", _("Counselling")
    DISCIPLINE = "discipline", _("Discipline")
    FAMILY_EDUCATION = "family_education", _("Family-education course for the families")


class MandatoryReason(models.TextChoices):
    SEVERE = "severe", _("Severity is severe")
    INJURY = "injury", _("A student was injured")
    REPEATED = "repeated", _("Bullying was repeated or ongoing")
    SEXUAL = "sexual", _("Sexual harm is involved")
    CRIMINAL = "criminal", _("Possibly a crime")
    POLICE = "police", _("The police are involved")


def mandatory_report_reasons(report: BullyingReport) -> list[str]:
    """The rules that make a report a mandatory report (强制报告). No setting turns them off."""
    reasons = []
    if report.severity == Severity.SEVERE:
        reasons.append(MandatoryReason.SEVERE)
    if report.injury and report.injury != Injury.NONE:
        reasons.append(MandatoryReason.INJURY)
    if report.frequency == Frequency.REPEATED:
        reasons.append(MandatoryReason.REPEATED)
    if report.involves_sexual_harm:
        reasons.append(MandatoryReason.SEXUAL)
    if report.possibly_criminal:
        reasons.append(MandatoryReason.CRIMINAL)
    if report.police_informed:
        reasons.append(MandatoryReason.POLICE)
    return [str(reason.value) for reason in reasons]


class SharedPart(models.TextChoices):
    """What district staff may pass on to the school with an anonymous report, besides their summary.

    The reporter's own words, who they are, how to reach them and their messages are never among
    them: a child who fears their school must be able to tell the district everything.
    """

    INCIDENT_DATE = "incident_date", _("When it happened")
    PLACE = "place", _("Where it happened")
    BULLYING_TYPES = "bullying_types", _("Kinds of bullying")
    HARM = "harm", _("Injuries and harm (and why it is a mandatory report)")
    ATTACHMENTS = "attachments", _("Pictures and files the reporter added")
