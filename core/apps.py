from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Code shared by every domain app; it depends on no domain app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core.exports import install_wagtail_export_writer

        install_wagtail_export_writer()
