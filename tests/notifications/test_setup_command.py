"""The periodic task (created after migrate, Asia/Shanghai), the hand-run command, and the Celery
settings the reminders rely on."""

from datetime import date, datetime, timedelta, timezone as dt_timezone
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.schedule import install
from notifications.models import InboxMessage, Outbox, State
from notifications.setup import JOBS, SWEEP_NAME, SWEEP_TASK
from tests.notifications.conftest import bj
from tests.notifications.factories import make_task

pytestmark = pytest.mark.django_db


def test_sweep_runs_every_minute_on_a_shanghai_crontab_created_once(db):
    install(JOBS)
    install(JOBS)
    task = PeriodicTask.objects.get(name=SWEEP_NAME)
    assert task.task == SWEEP_TASK and task.enabled and task.interval is None
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    assert (task.crontab.minute, task.crontab.hour) == ("*", "*")
    assert CrontabSchedule.objects.filter(minute="*", hour="*", timezone="Asia/Shanghai").count() == 1
    assert PeriodicTask.objects.filter(task=SWEEP_TASK).count() == 1


def test_a_changed_schedule_is_put_back(db):
    install(JOBS)
    task = PeriodicTask.objects.get(name=SWEEP_NAME)
    task.task = "something.else"
    task.save()
    install(JOBS)
    assert PeriodicTask.objects.get(name=SWEEP_NAME).task == SWEEP_TASK


def test_a_shanghai_crontab_fires_at_nine_beijing_time(db):
    """C5: an explicit Asia/Shanghai crontab is due at 09:00 Beijing, not 09:00 UTC."""
    nine = CrontabSchedule.objects.create(minute="0", hour="9", day_of_week="1", timezone="Asia/Shanghai").schedule
    last = datetime(2024, 5, 12, 1, 0, tzinfo=dt_timezone.utc)  # Sunday 09:00 Beijing
    with time_machine.travel(bj(2024, 5, 13, 9, 0, ), tick=False):
        due, _next = nine.is_due(last)
    assert due
    with time_machine.travel(bj(2024, 5, 13, 8, 59), tick=False):
        due, remaining = nine.is_due(last)
    assert not due and remaining <= 60


def test_celery_settings_fit_the_outbox_design():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert settings.QINGDAN_SEND_LEASE_SECONDS > settings.CELERY_TASK_TIME_LIMIT  # a living sender is never overtaken
    assert settings.QINGDAN_SEND_TIME_BUDGET < settings.CELERY_TASK_SOFT_TIME_LIMIT
    vt = {"visibility_timeout": 3600}
    assert settings.CELERY_TASK_TIME_LIMIT < vt["visibility_timeout"] / 2


def test_command_sweeps_and_sends_and_is_idempotent(county, rules):
    make_task(county.v11, date(2024, 5, 15))
    out = StringIO()
    with time_machine.travel(bj(2024, 5, 15, 12), tick=False):
        call_command("sweep_reminders", "--send", stdout=out)
    text = out.getvalue()
    assert "business date 2024-05-15" in text and "new outbox rows" in text and "sent here: messages 1, sent 1" in text
    assert InboxMessage.objects.filter(user=county.v11_disc).count() == 1
    out = StringIO()
    with time_machine.travel(bj(2024, 5, 15, 12, 5), tick=False):
        call_command("sweep_reminders", "--send", stdout=out)
    assert ": 0 new outbox rows" in out.getvalue() and "sent here: nothing" in out.getvalue()
    assert InboxMessage.objects.filter(user=county.v11_disc).count() == 1


def test_command_without_send_enqueues(county, rules):
    make_task(county.v11, date(2024, 5, 15))
    out = StringIO()
    with time_machine.travel(bj(2024, 5, 15, 12), tick=False):
        call_command("sweep_reminders", stdout=out)
    assert "senders enqueued: 1" in out.getvalue()
    assert not Outbox.objects.filter(state=State.PENDING).exists()  # eager in tests: they ran


def test_three_hour_outage_everything_due_in_between_is_sent_once(county, rules, robot):
    """The beat was down from 07:00 to 10:00: the first sweep after sends what was due at 08:30, once."""
    from notifications.models import Webhook
    from notifications.services import deliver_due, run_sweep

    Webhook.objects.create(org=county.v11, kind="wecom", url=robot.url())
    due_today = make_task(county.v11, date(2024, 5, 15))
    overdue = make_task(county.v11, date(2024, 5, 14))
    with time_machine.travel(bj(2024, 5, 15, 6, 59), tick=False):
        run_sweep()  # the last sweep before the outage wrote today's rows (due 08:30)
    with time_machine.travel(bj(2024, 5, 15, 10, 0), tick=False):
        make_task(county.v11, date(2024, 5, 20))  # created during the outage, due in 5 days
        run_sweep()
        run_sweep()
        deliver_due()
        deliver_due()
    (message,) = InboxMessage.objects.all()  # one message listing the three, most urgent first
    assert [i["task"] for i in message.items][:2] == [overdue.pk, due_today.pk]
    assert [i["kind"] for i in message.items] == ["overdue", "due_today", "due_soon"]
    assert len(robot.requests) == 1  # one group message for 东村 with all three
    assert Outbox.objects.filter(state=State.PENDING).count() == 0
    assert (bj(2024, 5, 15, 10) - Outbox.objects.filter(kind="due_today").first().due_at) == timedelta(hours=1, minutes=30)
