"""The daily periodic task (django-celery-beat), created idempotently after migrate."""

import logging

from django.conf import settings

log = logging.getLogger(__name__)

DAILY_NAME = "inspections: 五书制 escalation, team access, findings (daily 07:00)"
DAILY_TASK = "inspections.tasks.daily"


def ensure_periodic_tasks(**kwargs) -> None:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    tz = settings.TIME_ZONE
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone=tz
    )
    PeriodicTask.objects.update_or_create(name=DAILY_NAME, defaults={"task": DAILY_TASK, "crontab": schedule, "enabled": True})


def post_migrate_handler(sender, app_config=None, using="default", **kwargs) -> None:
    if app_config is None or app_config.label != "inspections":
        return
    try:
        ensure_periodic_tasks()
    except Exception:  # noqa: BLE001 - a missing beat table must not break migrate
        log.exception("could not create the inspections periodic task")
