"""The beat schedule that keeps generation current, created after every
``migrate`` (idempotent; an operator's later changes to the row are kept)."""

from zoneinfo import ZoneInfo

TASK_NAME = "tasks.generate_current"
SCHEDULE_NAME = "qingdan: generate duty tasks (daily 01:10)"


def ensure_generation_schedule(using="default", **kwargs):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute="10", hour="1", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone=ZoneInfo("Asia/Shanghai"),
    )
    PeriodicTask.objects.using(using).get_or_create(
        name=SCHEDULE_NAME, defaults={"task": TASK_NAME, "crontab": crontab},
    )
