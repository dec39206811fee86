"""Form pieces every app shares: accessible field errors, and date fields that refuse years nobody means.

``AccessibleErrorsMixin`` ties each invalid field's error message (and help text) to its input
with ``aria-describedby``, so a screen reader reads the error with the field; the field
include template renders the ids it names.

A typed year 0001 (or 9999) parses, but converting such a moment between time zones or
rendering it overflows Python's ``datetime`` (a 500), and no report, event or consultation of
this site happened before 1900. The upper bound only keeps clear of year 9999's overflow, so
that a typo like 2999 still meets the form's own "cannot be in the future" message. ``PlausibleDateField`` and
``PlausibleDateTimeField`` refuse those years with a form error instead. ``core.apps`` makes
them the Wagtail admin's form fields for every model date and date-time field too.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 1900
LATEST_YEAR = 9000


def validate_plausible_year(value: datetime.date | None) -> None:
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Please check the year: it must be between %(earliest)s and %(latest)s."),
            code="implausible_year",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


def plausible_date(text: str) -> datetime.date | None:
    """A query parameter as a date, or None when it is absent, unreadable, impossible (2026-02-30)
    or outside the plausible years (the day before 0001-01-01 does not exist: a 500 otherwise)."""
    from django.utils.dateparse import parse_date

    try:
        value = parse_date(text or "")
    except ValueError:
        return None
    if value is None or not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return None
    return value


class PlausibleDateField(forms.DateField):
    default_validators = [validate_plausible_year]

    def to_python(self, value: str | datetime.date | None) -> datetime.date | None:
        value = super().to_python(value)
        validate_plausible_year(value)
        return value


class PlausibleDateTimeField(forms.DateTimeField):
    default_validators = [validate_plausible_year]

    def to_python(self, value: str | datetime.date | None) -> datetime.datetime | None:
        # Refused here, before clean_<field>() methods compare it with now or anything converts
        # it to UTC (year 0001 at 00:00 in Asia/Shanghai has no UTC equivalent).
        value = super().to_python(value)
        validate_plausible_year(value)
        return value


# What the mixin is mixed into, for the type checker (at run time it adds no base class).
if TYPE_CHECKING:
    _Form = forms.BaseForm
else:
    _Form = object


class AccessibleErrorsMixin(_Form):
    """Ties each field's error message to its input with ``aria-describedby``."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                bound = self[name]
                ids = [f"{bound.auto_id}_error"]
                if self.fields[name].help_text:
                    ids.insert(0, f"{bound.auto_id}_helptext")
                widget.attrs["aria-describedby"] = " ".join(ids)
