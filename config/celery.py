"""Celery application. Business entry points live in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("qingdan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="qingdan.ping")
def ping(token: str = "pong") -> str:
    """Round-trip probe used by `manage.py celery_smoke` and the health page."""
    return token
