"""Parents belong to a school, a class and a street.

What is kept, and why (the notice parents read, ``templates/participation/profile.html``):

- The parent's **real name** lives on ``accounts.User.name``: it is printed on certificates,
  so it is asked once, at the latest before the first certificate is drawn
  (``courses.certificates.issue_certificate`` waits for it).
- The parent's **street/town of residence** (``ParentProfile.street``), one of the 13: it lets
  the street's workstation count how many families of its street take part — counts only.
- Each **child** (``Child``) is a school, a grade and, once the parent joins with a class code,
  a class. **No child's name, birthday or any other identifier is collected**: no feature needs
  one (a head teacher knows their pupils; the platform needs only "a parent of class 7-2"), so
  a child can never be identified by name to anyone, the parent included.
- Consent (``ParentProfile.consented_at``) is the guardian's consent required by PIPL for a
  minor's information: nothing about a child is saved before it is given, and removing a child
  deletes the row.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel


def _grade_label(grade: int) -> str:
    return gettext("Grade %(grade)d") % {"grade": grade}


# Grades as Chinese schools count them: 1–5 primary, 6–9 junior secondary (Shanghai 5+4), 10–12 senior.
# Labels are lazy, translated when shown (not in whatever language was active at import).
GRADE_CHOICES = [(grade, lazy(_grade_label, str)(grade)) for grade in range(1, 13)]


class ParentProfile(models.Model):
    """What a parent told us beyond their account: the street they live in and their consent."""

    parent = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parent_profile", verbose_name=_("parent")
    )
    street = models.ForeignKey(
        "schools.StreetTown",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("street/town of residence"),
    )
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("parent profile")
        verbose_name_plural = _("parent profiles")

    def __str__(self) -> str:
        return str(self.parent)


class ParentSchool(models.Model):
    """A school's parent school (家长学校): the school's classes of parents."""

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="parent_school", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=120)

    panels = [FieldPanel("school"), FieldPanel("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("parent school")
        verbose_name_plural = _("parent schools")

    def __str__(self) -> str:
        return self.name


class SchoolClass(models.Model):
    """A class of a parent school, run by a head teacher (班主任), joined with its class code.

    One code at a time: rotating replaces it (the old one stops working at once), and every
    code expires at ``code_expires_at``. Codes are short, upper-case and without the letters
    and digits people confuse (0/O, 1/I), so they can be read aloud at a parents' meeting.
    """

    parent_school = models.ForeignKey(
        ParentSchool, on_delete=models.CASCADE, related_name="classes", verbose_name=_("parent school")
    )
    grade = models.PositiveSmallIntegerField(_("grade"), choices=GRADE_CHOICES)
    name = models.CharField(_("class"), max_length=40, help_text=_("As the school says it, e.g. “2班”."))
    head_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="head_teacher_classes",
        verbose_name=_("head teacher"),
    )
    code = models.CharField(_("class code"), max_length=12, unique=True, editable=False)
    code_expires_at = models.DateTimeField(_("code expires at"), editable=False)

    panels = [
        FieldPanel("parent_school"),
        FieldRowPanel([FieldPanel("grade"), FieldPanel("name")]),
        FieldPanel("head_teacher"),
    ]

    class Meta:
        ordering = ["parent_school", "grade", "name"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.UniqueConstraint(fields=["parent_school", "grade", "name"], name="participation_one_class_name")
        ]

    def __str__(self) -> str:
        return f"{self.parent_school.school.name} {self.get_grade_display()}{self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.code:
            from participation.services import new_code_fields

            self.code, self.code_expires_at = new_code_fields()
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.get_grade_display()}{self.name}"


class Child(models.Model):
    """A parent's child: a school, a grade and a class — never a name (see the module docstring)."""

    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="children", verbose_name=_("parent")
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    grade = models.PositiveSmallIntegerField(_("grade"), choices=GRADE_CHOICES, null=True, blank=True)
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("class"),
    )
    joined_at = models.DateTimeField(_("joined the class at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("child")
        verbose_name_plural = _("children")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "school_class"],
                condition=Q(school_class__isnull=False),
                name="participation_join_a_class_once",
            )
        ]
        indexes = [models.Index(fields=["school", "school_class"])]

    def __str__(self) -> str:
        return f"{self.parent_id} · {self.school_class or self.school or '-'}"


class ClassReminder(models.Model):
    """A head teacher's reminder to their class: unique per class and day (at most one a day)."""

    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("class")
    )
    sent_on = models.DateField(_("sent on"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("sent by")
    )
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("class reminder")
        verbose_name_plural = _("class reminders")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "sent_on"], name="participation_one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.school_class_id} · {self.sent_on}"


class GroupAssignment(models.Model):
    """A course assigned to a class, a grade of a school, or a whole school, with a deadline.

    The per-parent records are the course library's own ``courses.Assignment`` rows (made by
    ``courses.services.assign_course``, so deadlines, reminders and completion work as for any
    assignment); this row remembers the group, so that a parent who joins the class later is
    given the course too while the deadline has not passed.
    """

    class Scope(models.TextChoices):
        CLASS = "class", _("A class")
        GRADE = "grade", _("A grade")
        SCHOOL = "school", _("The whole school")

    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    scope = models.CharField(_("assigned to"), max_length=10, choices=Scope.choices)
    parent_school = models.ForeignKey(
        ParentSchool, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("parent school")
    )
    grade = models.PositiveSmallIntegerField(_("grade"), choices=GRADE_CHOICES, null=True, blank=True)
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("class"),
    )
    deadline = models.DateField(_("deadline"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("assigned by")
    )
    assignments = models.ManyToManyField("courses.Assignment", related_name="+", blank=True)
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("group assignment")
        verbose_name_plural = _("group assignments")

    def __str__(self) -> str:
        return f"{self.course_id} → {self.get_scope_display()} · {self.deadline}"


class ParticipationRollup(models.Model):
    """Participation figures counted in advance (``participation.rollups.refresh``), so a dashboard
    reads a few hundred rows instead of counting 100,000 parents and 300,000 enrolments.

    A row is one group: the district, a school, a class, a street, or a street's parents with a
    child at a school (``sub``); for all courses or one (``course``); to date, or one month's
    course completions (``month``). The figures are those of ``participation.counts`` (the
    definitions and the direct count the tests compare with). Refreshed by Celery beat and soon
    after a course is completed; ``refreshed_at`` says how fresh the dashboard is.
    """

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        SCHOOL = "school", _("School")
        CLASS = "class", _("Class")
        STREET = "street", _("Street/town")
        STREET_SCHOOL = "street_school", _("Street/town and school")

    kind = models.CharField(_("group"), max_length=16, choices=Kind.choices)
    key = models.PositiveBigIntegerField(_("school, class or street"), default=0)
    sub = models.PositiveBigIntegerField(_("school (of a street's parents)"), default=0)
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("course"),
    )
    month = models.DateField(_("month"), null=True, blank=True)
    registered = models.PositiveIntegerField(default=0, db_default=0)
    joined = models.PositiveIntegerField(default=0, db_default=0)
    enrolled = models.PositiveIntegerField(default=0, db_default=0)
    completed = models.PositiveIntegerField(default=0, db_default=0)
    certified = models.PositiveIntegerField(default=0, db_default=0)
    completions = models.PositiveIntegerField(default=0, db_default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("participation rollup")
        verbose_name_plural = _("participation rollups")
        indexes = [models.Index(fields=["kind", "key"], name="participation_rollup_group")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}/{self.sub} · {self.course_id or '-'} · {self.month or '-'}"
