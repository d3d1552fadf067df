"""The 廉政风险点 yearly review on the beat: migrate creates the periodic task once
(Asia/Shanghai crontab, 02:30 on the 1st of each month), and the Celery task runs
assessment.risk_reviews.ensure_risk_reviews for the current year, exactly once."""

from datetime import date, datetime, timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.schedule import install
from assessment.models import RiskPoint
from assessment.setup import CRONTAB, JOBS, REVIEWS_NAME, REVIEWS_TASK
from assessment.tasks import risk_reviews
from tasks.models import Task

pytestmark = pytest.mark.django_db
BJ = ZoneInfo("Asia/Shanghai")


def _ours():
    return PeriodicTask.objects.filter(task=REVIEWS_TASK)


def test_migrate_creates_the_periodic_task_once(db):
    # the test database was built by migrate: the task is there already
    assert _ours().count() == 1
    _ours().delete()
    call_command("migrate", verbosity=0, interactive=False)   # post_migrate: created again …
    assert _ours().count() == 1
    call_command("migrate", verbosity=0, interactive=False)   # … and not twice
    call_command("migrate", "assessment", verbosity=0, interactive=False)
    assert _ours().count() == 1
    task = PeriodicTask.objects.get(name=REVIEWS_NAME)
    assert task.enabled and task.interval is None and task.task == REVIEWS_TASK
    cron = task.crontab
    assert str(cron.timezone) == "Asia/Shanghai"
    assert (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year) == ("30", "2", "1", "*")
    assert CrontabSchedule.objects.filter(**CRONTAB, timezone="Asia/Shanghai").count() == 1


def test_a_changed_schedule_is_put_back_and_a_disabled_one_stays_disabled(db):
    task = PeriodicTask.objects.get(name=REVIEWS_NAME)
    other = CrontabSchedule.objects.create(minute="0", hour="0", timezone="UTC")
    task.task, task.crontab, task.enabled = "something.else", other, False
    task.save()
    install(JOBS)
    task.refresh_from_db()
    assert task.task == REVIEWS_TASK and task.crontab.minute == "30" and not task.enabled  # the admin's choice kept
    assert _ours().count() == 1


def test_the_crontab_fires_on_the_first_at_half_past_two_beijing_time(db):
    schedule = PeriodicTask.objects.get(name=REVIEWS_NAME).crontab.schedule
    last = datetime(2025, 12, 1, 2, 30, tzinfo=BJ).astimezone(dt_timezone.utc)
    with time_machine.travel(datetime(2026, 1, 1, 2, 30, tzinfo=BJ), tick=False):
        due, _next = schedule.is_due(last)
    assert due
    with time_machine.travel(datetime(2026, 1, 1, 2, 29, tzinfo=BJ), tick=False):
        due, _next = schedule.is_due(last)
    assert not due


def test_the_celery_task_creates_this_years_reviews_once(county):
    c = county
    for org in (c.town1, c.v11):
        RiskPoint.objects.create(org=org, post="财务", description="资金", level="high", controls="双签", owner="张三",
                                 created_by=c.staff)
    with time_machine.travel(datetime(2027, 1, 1, 2, 30, tzinfo=BJ), tick=False):
        assert risk_reviews.apply().get() == {"year": 2027, "created": 2}
        assert risk_reviews.apply().get() == {"year": 2027, "created": 0}   # a second run creates nothing
    reviews = Task.objects.filter(kind="risk_review")
    assert sorted(reviews.values_list("org_id", flat=True)) == sorted([c.town1.pk, c.v11.pk])
    assert {t.due_date for t in reviews} == {date(2027, 12, 20)}
