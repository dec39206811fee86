"""File storages whose folder is a setting other than MEDIA_ROOT.

Certificates (``CERTIFICATE_ROOT``) and completion reports (``GUIDANCE_REPORT_ROOT``) are kept
outside MEDIA_ROOT and served only by views that check who asks. Django's ``FileSystemStorage``
follows a change of MEDIA_ROOT (``setting_changed``) but not of another setting: without this,
a storage made before a test pointed its setting elsewhere kept writing into the first folder.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class SettingRootStorage(FileSystemStorage):
    """Files under the folder named by the setting ``root_setting`` (a subclass sets it)."""

    root_setting = ""

    @cached_property
    def base_location(self) -> Any:
        # Django's own storages resolve their folder this way (``_location``: the folder given, if any).
        return self._value_or_setting(self._location, getattr(settings, self.root_setting))  # type: ignore[attr-defined]

    @cached_property
    def location(self) -> str:
        return str(os.path.abspath(self.base_location))

    def _clear_cached_properties(self, setting: Any, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == self.root_setting:
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)
