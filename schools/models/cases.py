"""Bullying reports (cases), the students involved, attachments and the case timeline."""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .. import crypto
from ..crypto import EncryptedTextField
from .choices import (
    BullyingType,
    CommitteeRole,
    Determination,
    Frequency,
    Injury,
    MandatoryReason,
    Measure,
    Place,
    Severity,
    State,
    mandatory_report_reasons,
)
from .places import School


class BullyingReport(models.Model):
    """A bullying report and, once submitted, the case that follows it through the workflow.

    State changes go through ``schools.services`` only, which records who, when and why.
    ``is_mandatory_report`` is recomputed from the facts on every save, so no form or view
    can switch the mandatory-report path off.
    """

    class Source(models.TextChoices):
        SCHOOL = "school", _("School officer")
        ANONYMOUS = "anonymous", _("Anonymous reporter")

    case_number = models.CharField(_("case number"), max_length=20, unique=True, null=True, blank=True)
    draft_token = models.UUIDField(_("form token"), unique=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="reports", verbose_name=_("school"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.SCHOOL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)

    incident_date = models.DateField(_("date of the incident"), null=True, blank=True)
    incident_time = models.TimeField(_("time of the incident"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=20, choices=Place.choices, blank=True)
    bullying_types = models.JSONField(_("kinds of bullying"), default=list, blank=True)
    narrative = EncryptedTextField(_("what happened"), blank=True)
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency.choices, blank=True)
    injury = models.CharField(_("injuries"), max_length=20, choices=Injury.choices, blank=True)
    involves_sexual_harm = models.BooleanField(_("sexual harm is involved"), default=False)
    possibly_criminal = models.BooleanField(_("possibly a crime"), default=False)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, blank=True)
    is_mandatory_report = models.BooleanField(_("mandatory report"), default=False, editable=False)
    mandatory_reasons = models.JSONField(_("why it is a mandatory report"), default=list, editable=False)
    police_informed = models.BooleanField(_("police informed"), null=True, blank=True)
    police_informed_at = models.DateTimeField(_("police informed at"), null=True, blank=True)
    guardians_notified = models.BooleanField(_("guardians notified"), null=True, blank=True)
    guardians_notified_at = models.DateTimeField(_("guardians notified at"), null=True, blank=True)
    immediate_measures = EncryptedTextField(_("immediate measures"), blank=True)
    # Anonymous reports only: what the school receives when the district acknowledges the report
    # (``schools.services.acknowledge``); the report itself stays with the district.
    school_summary = EncryptedTextField(_("summary for the school"), blank=True)
    shared_with_school = models.JSONField(_("parts shared with the school"), default=list, blank=True)

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name=_("case handler"),
    )
    determination = models.CharField(_("determination"), max_length=20, choices=Determination.choices, blank=True)
    committee_roles = models.JSONField(_("committee members' roles"), default=list, blank=True)
    measures = models.JSONField(_("measures"), default=list, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    investigation_started_at = models.DateTimeField(_("investigation started"), null=True, blank=True)
    determined_at = models.DateTimeField(_("determined"), null=True, blank=True)
    handling_started_at = models.DateTimeField(_("handling started"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    determination_due_at = models.DateTimeField(_("determine by"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [models.Index(fields=["school", "state"])]
        permissions = [("lead_district", "Is a district lead: receives escalations and reads the audit log")]
        verbose_name = _("bullying report")
        verbose_name_plural = _("bullying reports")

    def __str__(self) -> str:
        return self.case_number or str(_("Draft report #%(pk)s") % {"pk": self.pk})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.mandatory_reasons = mandatory_report_reasons(self)
        self.is_mandatory_report = bool(self.mandatory_reasons)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "mandatory_reasons", "is_mandatory_report"}
        super().save(*args, **kwargs)

    @property
    def current_due_at(self):
        """The deadline of the step the case is waiting for, if that step has one."""
        if self.state == State.SUBMITTED:
            return self.acknowledge_due_at
        if self.state == State.INVESTIGATING:
            return self.determination_due_at
        return None

    @property
    def is_overdue(self) -> bool:
        due = self.current_due_at
        return bool(due and due < timezone.now())

    def get_bullying_types_display(self) -> list[str]:
        labels = dict(BullyingType.choices)
        return [str(labels.get(code, code)) for code in self.bullying_types]

    def get_committee_roles_display(self) -> list[str]:
        labels = dict(CommitteeRole.choices)
        return [str(labels.get(code, code)) for code in self.committee_roles]

    def get_measures_display(self) -> list[str]:
        labels = dict(Measure.choices)
        return [str(labels.get(code, code)) for code in self.measures]

    def get_mandatory_reasons_display(self) -> list[str]:
        labels = dict(MandatoryReason.choices)
        return [str(labels.get(code, code)) for code in self.mandatory_reasons]


class InvolvedStudent(models.Model):
    """A student involved in a report. The name is optional and encrypted: collect the minimum."""

    class Role(models.TextChoices):
        TARGET = "target", _("Target (was bullied)")
        INITIATOR = "initiator", _("Initiator (did the bullying)")
        WITNESS = "witness", _("Witness")

    report = models.ForeignKey(BullyingReport, on_delete=models.CASCADE, related_name="students")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    grade = models.CharField(_("grade"), max_length=30)
    class_name = models.CharField(_("class"), max_length=30, blank=True)
    name = EncryptedTextField(_("name"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("student involved")
        verbose_name_plural = _("students involved")

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.grade} {self.class_name}".strip()


@deconstructible
class AttachmentStorage(FileSystemStorage):
    """Files kept under ``SCHOOLS_ATTACHMENT_ROOT``, outside MEDIA_ROOT: only served by a checked view.

    Encrypted at rest with ``SCHOOLS_ENCRYPTION_KEYS`` (``schools.crypto``): what is written is
    ciphertext, what is opened is the plain file.
    """

    def __init__(self):
        super().__init__(file_permissions_mode=0o600)

    def _save(self, name, content):
        content.seek(0)
        return super()._save(name, ContentFile(crypto.encrypt_bytes(content.read())))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as stored:
            return ContentFile(crypto.decrypt_bytes(stored.read(), name=name), name=name)

    @property
    def base_location(self):
        return settings.SCHOOLS_ATTACHMENT_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def attachment_path(instance: Attachment, filename: str) -> str:
    extension = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}.get(
        instance.content_type, ""
    )
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Attachment(models.Model):
    """A photo, screenshot or PDF. Checked by content and re-encoded before it is stored."""

    report = models.ForeignKey(BullyingReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, storage=AttachmentStorage())
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.content_type} · {self.size} B"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Consultation(models.Model):
    """A case consultation (个案会商): bodies meet about a case and agree on follow-up actions."""

    report = models.ForeignKey(BullyingReport, on_delete=models.CASCADE, related_name="consultations")
    held_on = models.DateField(_("date"))
    participating_bodies = models.TextField(_("participating bodies"))
    conclusions = EncryptedTextField(_("conclusions"))
    follow_up_actions = EncryptedTextField(_("follow-up actions"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("case consultation")
        verbose_name_plural = _("case consultations")

    def __str__(self) -> str:
        return f"{self.held_on} · {self.participating_bodies[:40]}"


class CaseEvent(models.Model):
    """One entry of a case's timeline: a transition, a consultation, a note, an assignment."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Status change")
        CONSULTATION = "consultation", _("Case consultation")
        NOTE = "note", _("Internal note")
        ASSIGNMENT = "assignment", _("Handler assigned")
        ESCALATION = "escalation", _("Overdue step escalated")
        GUIDANCE = "guidance", _("Family guidance")

    report = models.ForeignKey(BullyingReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_role = models.CharField(_("role"), max_length=30, blank=True)
    reason = EncryptedTextField(_("reason or note"), blank=True)
    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.from_state}→{self.to_state}"


class CaseNumberSequence(models.Model):
    """The last case number issued per year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Escalation(models.Model):
    """An overdue step that has been escalated. Unique, so each overdue step escalates once."""

    report = models.ForeignKey(BullyingReport, on_delete=models.CASCADE, related_name="escalations")
    step = models.CharField(max_length=20)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "step", "due_at"], name="schools_escalation_once")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.step} {self.due_at:%Y-%m-%d %H:%M}"
