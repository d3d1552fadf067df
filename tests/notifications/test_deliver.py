"""The sender: claim, re-check, deliver, mark — exactly once under re-runs, crashes and retries."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from notifications import tasks as celery_tasks
from notifications.models import InboxMessage, Kind, Outbox, Preference, State
from notifications.services import deliver_due, run_sweep
from notifications.services.deliver import UNKNOWN_OUTCOME, claim_envelopes, claim_user_rows
from tasks.models import TaskEvent
from tests.notifications import mailbackends
from tests.notifications.conftest import bj
from tests.notifications.factories import make_task

pytestmark = pytest.mark.django_db

D = date(2024, 5, 15)
NOON = bj(2024, 5, 15, 12)


def sweep_and_send(moment=NOON):
    with time_machine.travel(moment, tick=False):
        run_sweep()
        return deliver_due()


def claim_reminders(token):
    """What a sender claims of the due reminders (one envelope per person and channel), flat."""
    return [row for envelope in claim_envelopes(token, 50) for row in envelope]


def task_rows(**kw):
    return Outbox.objects.filter(task__isnull=False, **kw)


def test_inapp_reminder_lands_in_the_inbox_once(county, rules):
    t = make_task(county.v11, D, title="召开专题会议")
    counts = sweep_and_send()
    msg = InboxMessage.objects.get(user=county.v11_disc, task=t)
    assert "召开专题会议" in msg.title and "今日到期" in msg.title
    assert msg.link == f"/tasks/{t.pk}/" and msg.read_at is None
    assert counts[State.SENT] == Outbox.objects.filter(state=State.SENT).count()
    assert not Outbox.objects.exclude(state__in=(State.SENT, State.SKIPPED)).exists()
    with time_machine.travel(NOON, tick=False):
        assert deliver_due() == {} or sum(deliver_due().values()) == 0
    assert InboxMessage.objects.filter(task=t).count() == 1


def test_celery_task_bodies_run_twice_deliver_once(county, rules):
    county.v11_disc.email = "v11@example.org"
    county.v11_disc.save()
    t = make_task(county.v11, D)
    with time_machine.travel(NOON, tick=False):
        celery_tasks.sweep()  # eager: enqueues deliver inline
        celery_tasks.sweep()
        celery_tasks.deliver()
        celery_tasks.deliver.apply()
    assert InboxMessage.objects.filter(task=t).count() == 1
    assert len([m for m in mail.outbox if m.to == ["v11@example.org"]]) == 1
    assert task_rows(task=t, state=State.SENT).count() == 2


def test_rows_before_send_time_wait(county, rules):
    make_task(county.v11, D)
    with time_machine.travel(bj(2024, 5, 15, 8, 0), tick=False):
        run_sweep()
        deliver_due()
    assert not InboxMessage.objects.exists()
    with time_machine.travel(bj(2024, 5, 15, 8, 31), tick=False):
        deliver_due()
    assert InboxMessage.objects.filter(kind=Kind.DUE_TODAY).count() == 1


@pytest.mark.parametrize("status", ["submitted", "approved", "cancelled"])
def test_task_closed_after_queueing_is_skipped_at_send(county, rules, status):
    t = make_task(county.v11, D)
    with time_machine.travel(NOON, tick=False):
        run_sweep()
        type(t).objects.filter(pk=t.pk).update(status=status)  # a bulk change: no event, no signal
        deliver_due()
    row = task_rows(task=t).get()
    assert row.state == State.SKIPPED and "不再" in row.last_error or row.state == State.SKIPPED
    assert not InboxMessage.objects.filter(task=t).exists()


def test_reassigned_and_moved_tasks_are_skipped(county, rules):
    a = make_task(county.v11, D, assignee=county.v11_clerk)
    b = make_task(county.v11, D)
    with time_machine.travel(NOON, tick=False):
        run_sweep()
        type(a).objects.filter(pk=a.pk).update(assignee=county.v11_party)
        type(b).objects.filter(pk=b.pk).update(due_date=D + timedelta(days=10))
        deliver_due()
    assert task_rows(task=a).get().state == State.SKIPPED
    assert task_rows(task=b).get().state == State.SKIPPED
    assert not InboxMessage.objects.filter(task__in=[a, b]).exists()


@pytest.mark.parametrize("kind", ["submitted", "approved", "cancelled", "reassigned", "extended"])
def test_task_event_cancels_pending_rows_at_once(county, rules, kind):
    t = make_task(county.v11, D)
    other = make_task(county.v11, D)
    with time_machine.travel(bj(2024, 5, 15, 7), tick=False):
        run_sweep()
        TaskEvent.objects.create(task=t, kind=kind, actor=county.v11_disc)
    assert set(task_rows(task=t).values_list("state", flat=True)) == {State.CANCELLED}
    assert set(task_rows(task=other).values_list("state", flat=True)) == {State.PENDING}


def test_reassignment_reaches_the_new_assignee_the_same_day(county, rules):
    t = make_task(county.v11, D, assignee=county.v11_clerk)
    with time_machine.travel(bj(2024, 5, 15, 7), tick=False):
        run_sweep()
        type(t).objects.filter(pk=t.pk).update(assignee=county.v11_party)
        TaskEvent.objects.create(task=t, kind="reassigned")
        run_sweep()
    with time_machine.travel(NOON, tick=False):
        deliver_due()
    assert list(InboxMessage.objects.filter(task=t).values_list("user__username", flat=True)) == ["v11_party"]


def test_returned_task_is_reminded_again(county, rules):
    t = make_task(county.v11, D, status="returned")
    sweep_and_send()
    assert InboxMessage.objects.filter(task=t).count() == 1


def test_a_dead_senders_inapp_row_is_taken_over_once(county, rules, settings):
    settings.QINGDAN_SEND_LEASE_SECONDS = 300
    t = make_task(county.v11, D)
    with time_machine.travel(NOON, tick=False):
        run_sweep()
        claimed = claim_reminders("dead-worker:1")  # … and the worker is SIGKILLed here
    assert [r.task_id for r in claimed if r.task_id] == [t.pk]
    with time_machine.travel(NOON + timedelta(seconds=60), tick=False):
        deliver_due()  # still leased: nobody touches it
    assert task_rows(task=t).get().state == State.SENDING
    with time_machine.travel(NOON + timedelta(seconds=301), tick=False):
        deliver_due()
    row = task_rows(task=t).get()
    assert row.state == State.SENT and row.attempts == 2
    assert InboxMessage.objects.filter(task=t).count() == 1


def test_the_minute_sweep_starts_a_sender_for_rows_a_dead_sender_left(county, rules, settings):
    """Nothing else due: the sweep still counts the stale rows and starts a sender, which takes them over."""
    from notifications.services import due_count

    settings.QINGDAN_SEND_LEASE_SECONDS = 300
    t = make_task(county.v11, D)
    with time_machine.travel(NOON, tick=False):
        run_sweep()
        claim_reminders("dead-worker:1"), claim_user_rows("dead-worker:1", 50)  # … and the worker is SIGKILLed here
        held = Outbox.objects.filter(state=State.SENDING).count()
        assert held and due_count() == 0
    with time_machine.travel(NOON + timedelta(seconds=299), tick=False):
        assert due_count() == 0  # still leased
    with time_machine.travel(NOON + timedelta(seconds=301), tick=False):
        assert due_count() == held
        celery_tasks.sweep()  # eager here: the sender it starts runs at once
    assert not Outbox.objects.filter(state=State.SENDING).exists()
    assert InboxMessage.objects.filter(task=t).count() == 1


def _email_user(county):
    county.v11_disc.email = "v11@example.org"
    county.v11_disc.save()
    Preference.objects.create(user=county.v11_disc)


def test_external_call_started_by_a_dead_sender_is_not_repeated(county, rules):
    _email_user(county)
    t = make_task(county.v11, D)
    with time_machine.travel(NOON, tick=False):
        run_sweep()
        claimed = claim_reminders("dead:1")
        email_row = next(r for r in claimed if r.channel == "email")
        Outbox.objects.filter(pk=email_row.pk).update(attempt_started_at=NOON)  # died during the SMTP call
    with time_machine.travel(NOON + timedelta(minutes=10), tick=False):
        deliver_due()
    email_row.refresh_from_db()
    assert email_row.state == State.FAILED and email_row.last_error == UNKNOWN_OUTCOME
    assert mail.outbox == []  # not sent a second time …
    assert InboxMessage.objects.filter(task=t).count() == 1  # … and the in-app copy arrived


def test_external_call_never_started_is_sent_after_the_lease(county, rules):
    _email_user(county)
    make_task(county.v11, D)
    with time_machine.travel(NOON, tick=False):
        run_sweep()
        claim_reminders("dead:1")  # died before the call
    with time_machine.travel(NOON + timedelta(minutes=10), tick=False):
        deliver_due()
    assert len(mail.outbox) == 1


def test_transient_mail_error_is_retried_with_backoff(county, rules, settings):
    settings.EMAIL_BACKEND = "tests.notifications.mailbackends.FlakyBackend"
    mailbackends.CALLS["n"] = 0
    _email_user(county)
    make_task(county.v11, D)
    with time_machine.travel(NOON, tick=False):
        run_sweep()
        deliver_due()
    row = Outbox.objects.get(channel="email", task__isnull=False)
    assert row.state == State.PENDING and row.attempts == 1 and "Connection unexpectedly closed" in row.last_error
    assert row.next_attempt_at == NOON + timedelta(seconds=60)
    with time_machine.travel(NOON + timedelta(seconds=30), tick=False):
        deliver_due()
    assert len(mail.outbox) == 0
    with time_machine.travel(NOON + timedelta(seconds=61), tick=False):
        deliver_due()
    row.refresh_from_db()
    assert row.state == State.SENT and row.attempts == 2 and len(mail.outbox) == 1


def test_mail_server_down_gives_up_after_max_attempts(county, rules, settings):
    settings.EMAIL_BACKEND = "tests.notifications.mailbackends.DownBackend"
    settings.QINGDAN_SEND_MAX_ATTEMPTS = 3
    _email_user(county)
    make_task(county.v11, D)
    moment = NOON
    with time_machine.travel(moment, tick=False):
        run_sweep()
    for _ in range(5):
        with time_machine.travel(moment, tick=False):
            deliver_due()
        moment += timedelta(hours=2)
    row = Outbox.objects.get(channel="email", task__isnull=False)
    assert row.state == State.FAILED and row.attempts == 3


def test_bounced_address_fails_that_row_and_is_not_used_again(county, rules, settings):
    settings.EMAIL_BACKEND = "tests.notifications.mailbackends.RefusingBackend"
    county.v11_disc.email = "bounce@example.org"
    county.v11_disc.save()
    t = make_task(county.v11, D)
    sweep_and_send()
    row = task_rows(task=t, channel="email").get()
    assert row.state == State.FAILED and "550" in row.last_error
    assert Preference.objects.get(user=county.v11_disc).bounced_email == "bounce@example.org"
    assert InboxMessage.objects.filter(task=t).count() == 1  # in-app still arrived
    t2 = make_task(county.v11, D + timedelta(days=1))
    with time_machine.travel(NOON, tick=False):
        run_sweep()
    assert list(task_rows(task=t2).values_list("channel", flat=True)) == ["inapp"]


def test_user_without_any_channel_gets_inapp(county, rules):
    assert county.v11_disc.email == ""
    t = make_task(county.v11, D)
    sweep_and_send()
    assert list(task_rows(task=t).values_list("channel", "state")) == [("inapp", State.SENT)]


def test_email_is_chinese_with_text_and_html(county, rules, settings):
    settings.QINGDAN_SITE_URL = "https://qingdan.example.gov.cn"
    _email_user(county)
    t = make_task(county.v11, D + timedelta(days=5), title="开展廉政谈话")
    sweep_and_send()
    (m,) = mail.outbox
    assert m.subject.startswith("【") and "开展廉政谈话" in m.subject and "5 天后到期" in m.subject
    assert "截止日期" in m.body and f"https://qingdan.example.gov.cn/tasks/{t.pk}/" in m.body
    html = m.alternatives[0][0]
    assert "<h2" in html and "开展廉政谈话" in html
    assert m.extra_headers["Message-ID"].startswith("<qingdan.")


def test_sender_that_dies_after_sending_does_not_send_twice(county, rules, monkeypatch):
    """C3: the gateway succeeded, then marking failed (the process died): no second e-mail."""
    from notifications.services import deliver as d

    _email_user(county)
    make_task(county.v11, D)
    real = d._mark_sent

    def boom(ids, token, response=""):
        if response.startswith("mail"):
            raise SystemExit("killed")
        return real(ids, token, response)

    monkeypatch.setattr(d, "_mark_sent", boom)
    with time_machine.travel(NOON, tick=False):
        run_sweep()
        with pytest.raises(SystemExit):
            deliver_due()
    monkeypatch.setattr(d, "_mark_sent", real)
    with time_machine.travel(NOON + timedelta(minutes=30), tick=False):
        deliver_due()
    assert len(mail.outbox) == 1
    assert Outbox.objects.get(channel="email", task__isnull=False).last_error == UNKNOWN_OUTCOME


def test_muting_after_queueing_skips_at_send(county, rules):
    make_task(county.v11, D)
    with time_machine.travel(bj(2024, 5, 15, 7), tick=False):
        run_sweep()
    Preference.objects.create(user=county.v11_disc, muted_kinds=["due_today"])
    with time_machine.travel(NOON, tick=False):
        deliver_due()
    assert task_rows().get().state == State.SKIPPED
    assert not InboxMessage.objects.filter(kind="due_today").exists()
