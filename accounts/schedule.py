"""The beat schedule of accounts, created after every ``migrate`` (idempotent; an
operator's later changes to the row are kept)."""

from zoneinfo import ZoneInfo

TASK_NAME = "accounts.daily_housekeeping"
SCHEDULE_NAME = "qingdan: accounts housekeeping — grants, sessions, audit retention (daily 00:40)"


def ensure_schedule(using="default", **kwargs):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute="40", hour="0", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone=ZoneInfo("Asia/Shanghai"),
    )
    PeriodicTask.objects.using(using).get_or_create(name=SCHEDULE_NAME, defaults={"task": TASK_NAME, "crontab": crontab})
