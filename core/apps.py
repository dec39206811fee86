from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Code shared by every domain app; it depends on no domain app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.core import checks

        from core import page_cache  # noqa: F401 - connects the page cache's invalidation signals
        from core.checks import official_calendar_check

        checks.register(official_calendar_check)
        from core.exports import install_wagtail_export_writer

        install_wagtail_export_writer()

        from django.apps import apps

        from core import review_names

        review_names.connect(apps.get_models())  # workflow and task names in the reader's language

        from django.db import models

        from wagtail.admin import widgets
        from wagtail.admin.forms.models import register_form_field_override

        from core.forms import PlausibleDateField, PlausibleDateTimeField

        # Wagtail admin forms (pages, snippets, settings): no year 0001 in any date field.
        register_form_field_override(
            models.DateField, override={"widget": widgets.AdminDateInput, "form_class": PlausibleDateField}
        )
        register_form_field_override(
            models.DateTimeField, override={"widget": widgets.AdminDateTimeInput, "form_class": PlausibleDateTimeField}
        )
