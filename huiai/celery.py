"""Celery application for Huiai.

Settings come from Django settings under the ``CELERY_`` namespace, so the broker, its
timeouts and the beat schedule are configured in one place (``huiai/settings``).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiai.settings.dev")

app = Celery("huiai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
