"""One message per person and channel: a person's due reminders are listed together, most
urgent first, and each item is delivered exactly once across messages — the morning's message
and a later one, a failed send and its retry, two senders at once."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import InboxMessage, Kind, Outbox, Preference, State, SweepState
from notifications.services import deliver_due, run_sweep
from notifications.services.deliver import claim_envelopes
from notifications.services.envelopes import messages_per_recipient
from tasks.models import TaskEvent
from tests.clock import at, travel
from tests.notifications.conftest import sweep_and_send as sweep_and_send_at
from tests.notifications import mailbackends
from tests.notifications.factories import make_task

pytestmark = pytest.mark.django_db

D = date(2026, 11, 18)
MORNING = at(2026, 11, 18, 9)


def sweep_and_send(moment=MORNING):
    return sweep_and_send_at(moment)


def reminders_to(user):
    return InboxMessage.objects.filter(user=user).exclude(kind__in=(Kind.DIGEST, Kind.SYSTEM)).order_by("id")


def listed(message) -> list[int]:
    return [i["task"] for i in message.items] or [message.task_id]


def test_a_persons_reminders_are_one_inbox_message_most_urgent_first(county, rules):
    soon = make_task(county.v11, D + timedelta(days=5), title="五天后")
    today = make_task(county.v11, D, title="今天")
    late = make_task(county.v11, D - timedelta(days=4), title="逾期四天")
    later = make_task(county.v11, D - timedelta(days=1), title="逾期一天")
    counts = sweep_and_send()
    (message,) = reminders_to(county.v11_disc)
    assert listed(message) == [late.pk, later.pk, today.pk, soon.pk]
    assert [i["kind"] for i in message.items] == ["overdue", "overdue", "due_today", "due_soon"]
    assert [i["colour"] for i in message.items] == ["red", "red", "yellow", "yellow"]  # tasks/warnings.py
    assert message.items[0]["link"] == reverse("tasks:detail", args=[late.pk])
    assert message.kind == Kind.OVERDUE and message.task_id is None and message.link == reverse("tasks:mine")
    assert "4" in message.title and message.more == 0
    rows = Outbox.objects.filter(recipient=county.v11_disc, channel="inapp")
    assert set(rows.values_list("state", flat=True)) == {State.SENT}
    assert len(set(rows.values_list("envelope", flat=True))) == 1
    assert counts["messages"] >= 1 and counts[State.SENT] == Outbox.objects.filter(state=State.SENT).count()


def test_a_single_task_reads_as_its_own_reminder(county, rules):
    t = make_task(county.v11, D, title="召开专题会议")
    sweep_and_send()
    (message,) = reminders_to(county.v11_disc)
    assert message.task_id == t.pk and message.items == [] and "召开专题会议" in message.title
    assert message.link == reverse("tasks:detail", args=[t.pk])


def test_an_item_sent_in_the_morning_is_not_in_the_afternoons_message(county, rules):
    a = make_task(county.v11, D)
    b = make_task(county.v11, D - timedelta(days=1))
    sweep_and_send()
    c = make_task(county.v11, D, title="下午新增")  # arrives later in the day
    d = make_task(county.v11, D - timedelta(days=1), title="下午新增二")
    sweep_and_send(at(2026, 11, 18, 15))
    sweep_and_send(at(2026, 11, 18, 16))  # nothing new: no message
    morning, afternoon = reminders_to(county.v11_disc)
    assert sorted(listed(morning)) == sorted([a.pk, b.pk])
    assert sorted(listed(afternoon)) == sorted([c.pk, d.pk])
    inapp = Outbox.objects.filter(channel="inapp", recipient=county.v11_disc, task__isnull=False)
    assert inapp.count() == 4 and set(inapp.values_list("state", flat=True)) == {State.SENT}


def test_a_failed_send_is_retried_as_the_same_message_and_late_items_go_in_the_next(county, rules, settings):
    settings.EMAIL_BACKEND = "tests.notifications.mailbackends.FlakyBackend"
    mailbackends.CALLS["n"] = 0
    county.v11_disc.email = "v11@example.org"
    county.v11_disc.save()
    first = [make_task(county.v11, D, title=f"早上{i}") for i in range(3)]
    sweep_and_send()  # the mail server drops the connection once
    assert mail.outbox == []
    pending = Outbox.objects.filter(channel="email", state=State.PENDING)
    assert pending.count() == 3 and len(set(pending.values_list("envelope", flat=True))) == 1
    make_task(county.v11, D, title="后来的")
    sweep_and_send(MORNING + timedelta(seconds=61))
    assert len(mail.outbox) == 2
    retried, late = mail.outbox
    assert all(t.title in retried.body for t in first) and "后来的" not in retried.body
    assert "后来的" in late.subject and not any(t.title in late.body for t in first)
    sweep_and_send(MORNING + timedelta(hours=1))
    assert len(mail.outbox) == 2
    assert set(Outbox.objects.filter(channel="email").values_list("state", flat=True)) == {State.SENT}


def test_the_list_is_capped_with_and_n_more_leading_to_my_tasks(county, rules, settings):
    settings.QINGDAN_GROUP_MESSAGE_MAX_ITEMS = 3
    tasks = [make_task(county.v11, D - timedelta(days=i + 1)) for i in range(0, 15, 3)]  # five overdue
    sweep_and_send()
    (message,) = reminders_to(county.v11_disc)
    assert len(message.items) == 3 and message.more == 2
    assert listed(message) == [t.pk for t in tasks[::-1][:3]]  # the longest overdue first
    assert Outbox.objects.filter(task__in=tasks, recipient=county.v11_disc, state=State.SENT).count() == 5


def test_escalations_to_a_superior_are_grouped(county, rules, settings):
    settings.QINGDAN_ESCALATION_CATCHUP_DAYS = 0
    a = make_task(county.v11, D - timedelta(days=7))
    b = make_task(county.v12, D - timedelta(days=7))
    c = make_task(county.v11, D - timedelta(days=14))  # level 2 goes to the party secretary
    sweep_and_send()
    (to_disc,) = reminders_to(county.t1_disc)
    assert sorted(listed(to_disc)) == sorted([a.pk, b.pk]) and to_disc.kind == Kind.ESCALATION
    assert all("东村" in i["when"] or "西村" in i["when"] for i in to_disc.items)
    (to_party,) = reminders_to(county.t1_party)
    assert listed(to_party) == [c.pk]


def test_a_task_closed_before_sending_is_left_out_of_the_message(county, rules):
    keep = make_task(county.v11, D)
    drop = make_task(county.v11, D - timedelta(days=1))
    with travel(at(2026, 11, 18, 7)):
        run_sweep()
        TaskEvent.objects.create(task=drop, kind="submitted", actor=county.v11_disc)
    sweep_and_send()
    (message,) = reminders_to(county.v11_disc)
    assert listed(message) == [keep.pk]


def test_two_senders_never_split_a_persons_rows(county, rules):
    for i in range(4):
        make_task(county.v11, D - timedelta(days=i % 2))
    with travel(MORNING):
        run_sweep()
        first = claim_envelopes("sender-a", 50)
        second = claim_envelopes("sender-b", 50)
    mine = [rows for rows in first if rows[0].recipient_id == county.v11_disc.pk]
    assert len(mine) == 1 and len(mine[0]) == 4
    assert not any(rows[0].recipient_id == county.v11_disc.pk for rows in second)


def test_rows_of_a_running_sweep_wait_for_it_to_finish(county, rules):
    make_task(county.v11, D)
    with travel(MORNING):
        run_sweep()
        SweepState.objects.filter(pk=1).update(last_started_at=MORNING - timedelta(seconds=1), last_finished_at=None)
        assert deliver_due()[State.SENT] == 0  # still being written
        SweepState.objects.filter(pk=1).update(last_finished_at=MORNING)
        assert deliver_due()[State.SENT] >= 1


def test_sending_costs_a_bounded_number_of_queries_per_message(county, rules):
    def send(n, day):
        for i in range(n):
            make_task(county.v11, day - timedelta(days=1 + 3 * i))
        with travel(at(day.year, day.month, day.day, 9)):
            run_sweep()
            with CaptureQueriesContext(connection) as queries:
                deliver_due()
        return len(queries.captured_queries)

    Preference.objects.create(user=county.v11_disc, muted_kinds=[Kind.DIGEST])
    small = send(2, D)
    big = send(12, D + timedelta(days=1))
    assert InboxMessage.objects.filter(user=county.v11_disc, kind=Kind.OVERDUE).count() == 2
    assert big <= small + 4, (small, big)


def test_messages_per_recipient_counts_one_per_channel_for_reminders(county, rules):
    county.v11_disc.email = "v11@example.org"
    county.v11_disc.save()
    for i in range(5):
        make_task(county.v11, D - timedelta(days=1))
    with travel(MORNING):
        run_sweep()
    rows = Outbox.objects.filter(recipient=county.v11_disc, state=State.PENDING)
    assert rows.filter(task__isnull=False).count() == 10  # five tasks × in-app and e-mail
    assert messages_per_recipient(rows.filter(task__isnull=False)) == {county.v11_disc.pk: 2}


def test_the_inbox_shows_a_grouped_message_with_each_task_linked(county, rules, login, settings, django_assert_max_num_queries):
    settings.QINGDAN_GROUP_MESSAGE_MAX_ITEMS = 2
    tasks = [make_task(county.v11, D - timedelta(days=1), title=f"逾期事项{i}") for i in range(3)]
    sweep_and_send()
    client = login(county.v11_disc)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("notifications:inbox")).content.decode()
    assert 'data-items="2"' in html and "qd-colour-red" in html
    for t in tasks[:2]:
        assert f'href="{reverse("tasks:detail", args=[t.pk])}"' in html and t.title in html
    assert "“我的任务”中另有 1 项" in html and f'href="{reverse("tasks:mine")}"' in html
