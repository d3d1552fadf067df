"""The periodic task, created idempotently after migrate (django-celery-beat's DatabaseScheduler).

One crontab, every minute, explicitly in Asia/Shanghai (a CrontabSchedule defaults to UTC).
The weekly digest and the business-date rules live inside the sweep, not in crontabs, so a
beat that was down sends what it missed once when it is back."""

import logging

from django.conf import settings

log = logging.getLogger(__name__)

SWEEP_NAME = "notifications: reminder sweep (every minute)"
SWEEP_TASK = "notifications.tasks.sweep"


def ensure_periodic_tasks(**kwargs) -> None:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    tz = settings.TIME_ZONE
    schedule = CrontabSchedule.objects.filter(
        minute="*", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone=tz
    ).order_by("id").first()
    if schedule is None:
        schedule = CrontabSchedule.objects.create(
            minute="*", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone=tz
        )
    task, created = PeriodicTask.objects.get_or_create(
        name=SWEEP_NAME, defaults={"task": SWEEP_TASK, "crontab": schedule, "enabled": True}
    )
    if not created and (task.task != SWEEP_TASK or task.crontab_id != schedule.pk or task.interval_id):
        task.task, task.crontab, task.interval = SWEEP_TASK, schedule, None
        task.save()


def post_migrate_handler(sender, app_config=None, using="default", **kwargs) -> None:
    if app_config is None or app_config.label != "notifications":
        return
    try:
        ensure_periodic_tasks()
    except Exception:  # noqa: BLE001 - a missing beat table must not break migrate
        log.exception("could not create the reminder sweep periodic task")
