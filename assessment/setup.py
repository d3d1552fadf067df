"""The periodic task of the 廉政风险点 yearly review, created idempotently after migrate
(django-celery-beat's DatabaseScheduler), as notifications.setup creates its sweep.

Schedule: 02:30 on the 1st of every month, explicitly Asia/Shanghai (a CrontabSchedule
defaults to UTC). The year's review tasks appear on 1 January; the monthly repeat creates
nothing twice (``ensure_risk_reviews`` is exactly-once by the Task's unique key) but
catches up when the beat was down on 1 January and gives an org that registers its first
risk points during the year its review task of that year (due QINGDAN_RISK_REVIEW_DUE,
default 20 December). An administrator may disable the task; migrate does not re-enable it."""

import logging

from django.conf import settings

log = logging.getLogger(__name__)

REVIEWS_NAME = "assessment: 廉政风险点 yearly review tasks (1st of each month 02:30)"
REVIEWS_TASK = "assessment.tasks.risk_reviews"
CRONTAB = {"minute": "30", "hour": "2", "day_of_week": "*", "day_of_month": "1", "month_of_year": "*"}


def ensure_periodic_tasks(**kwargs) -> None:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    tz = settings.TIME_ZONE
    schedule = CrontabSchedule.objects.filter(**CRONTAB, timezone=tz).order_by("id").first()
    if schedule is None:
        schedule = CrontabSchedule.objects.create(**CRONTAB, timezone=tz)
    task, created = PeriodicTask.objects.get_or_create(
        name=REVIEWS_NAME, defaults={"task": REVIEWS_TASK, "crontab": schedule, "enabled": True}
    )
    if not created and (task.task != REVIEWS_TASK or task.crontab_id != schedule.pk or task.interval_id):
        task.task, task.crontab, task.interval = REVIEWS_TASK, schedule, None
        task.save()


def post_migrate_handler(sender, app_config=None, using="default", **kwargs) -> None:
    if app_config is None or app_config.label != "assessment":
        return
    try:
        ensure_periodic_tasks()
    except Exception:  # noqa: BLE001 - a missing beat table must not break migrate
        log.exception("could not create the risk review periodic task")
