from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    """Topics and age groups, shared by the course catalogue, the question bank and the library."""

    name = "taxonomy"
    verbose_name = _("Topics and age groups")
