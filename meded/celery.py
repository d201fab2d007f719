"""Celery application: broker from REDIS_URL; with no REDIS_URL tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meded.settings")

app = Celery("meded")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
