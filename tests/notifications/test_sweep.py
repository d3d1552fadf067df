"""The sweep: which reminders are owed on which business date, written exactly once."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership
from accounts.roles import Role
from notifications.models import Kind, Outbox, Preference, ReminderSettings, State, Webhook
from notifications.services import run_sweep
from notifications.services.sweep import task_rules
from tests.clock import at, travel
from tests.notifications.conftest import bj
from tests.notifications.factories import make_task

pytestmark = pytest.mark.django_db

D = date(2024, 5, 15)  # a Wednesday


def kinds_for(task):
    return sorted({(r.kind, r.business_date) for r in Outbox.objects.filter(task=task)})


def keys_of(task):
    return sorted(Outbox.objects.filter(task=task).values_list("key", flat=True))


def test_rules_cover_due_soon_today_overdue_cadence_and_escalation(county, rules, settings):
    settings.QINGDAN_ESCALATION_CATCHUP_DAYS = 0  # the day-by-day rules alone (catch-up tested below)
    cases = {
        D + timedelta(days=5): [Kind.DUE_SOON],
        D + timedelta(days=1): [Kind.DUE_SOON],
        D + timedelta(days=3): [],
        D: [Kind.DUE_TODAY],
        D - timedelta(days=1): [Kind.OVERDUE],
        D - timedelta(days=2): [],
        D - timedelta(days=4): [Kind.OVERDUE],
        D - timedelta(days=7): [Kind.ESCALATION, Kind.OVERDUE],
        D - timedelta(days=8): [],
        D - timedelta(days=14): [Kind.ESCALATION],
        D - timedelta(days=100): [Kind.OVERDUE],
    }
    tasks = {due: make_task(county.v11, due) for due in cases}
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        run_sweep()
    for due, expected in cases.items():
        got = sorted({r.kind for r in Outbox.objects.filter(task=tasks[due])})
        assert got == sorted(expected), (due, got)


def test_recipients_are_the_bearers_and_escalation_goes_to_the_level_above(county, rules):
    t = make_task(county.v11, D - timedelta(days=7), bearer="discipline")
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        run_sweep()
    overdue = set(Outbox.objects.filter(task=t, kind=Kind.OVERDUE).values_list("recipient__username", flat=True))
    escalation = Outbox.objects.filter(task=t, kind=Kind.ESCALATION)
    assert overdue == {"v11_disc"}
    assert set(escalation.values_list("recipient__username", flat=True)) == {"t1_disc"}
    assert escalation.get().data == {"level": 1}


def test_second_escalation_goes_to_the_party_secretary_above(county, rules, settings):
    settings.QINGDAN_ESCALATION_CATCHUP_DAYS = 0
    t = make_task(county.v11, D - timedelta(days=14))
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        run_sweep()
    esc = Outbox.objects.get(task=t, kind=Kind.ESCALATION)
    assert esc.recipient == county.t1_party and esc.data == {"level": 2}


def test_assignee_wins_and_fallback_is_clerk_or_party_secretary(county, rules):
    assigned = make_task(county.v11, D, assignee=county.v11_clerk)
    nobody_bears = make_task(county.v12, D, bearer="member")  # 西村 has no members at all
    secretary = make_task(county.v11, D, bearer="member")  # nobody holds "member" at 东村
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        run_sweep()
    assert set(Outbox.objects.filter(task=assigned).values_list("recipient__username", flat=True)) == {"v11_clerk"}
    assert not Outbox.objects.filter(task=nobody_bears).exists()
    assert set(Outbox.objects.filter(task=secretary).values_list("recipient__username", flat=True)) == {"v11_clerk", "v11_party"}


def test_closed_tasks_get_nothing(county, rules):
    for status in ("submitted", "approved", "cancelled"):
        make_task(county.v11, D, status=status)
    returned = make_task(county.v11, D, status="returned")
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        run_sweep()
    assert set(Outbox.objects.filter(task__isnull=False).values_list("task_id", flat=True)) == {returned.pk}


def test_running_twice_writes_nothing_new_and_keys_are_unique(county, rules):
    for i in range(6):
        make_task(county.v11, D - timedelta(days=i))
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        first = run_sweep()
        n = Outbox.objects.count()
        second = run_sweep()
    assert n > 0 and first.total == n
    assert Outbox.objects.count() == n
    assert second.total == 0 and second.candidates == 0


def test_concurrent_duplicates_are_absorbed_by_the_unique_key(county, rules):
    """Even when the anti-join is bypassed (two sweeps reading before either writes), rows stay unique."""
    t = make_task(county.v11, D)
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        run_sweep()
        Outbox.objects.filter(task=t).update(state=State.CANCELLED)  # hides them from the anti-join
        again = run_sweep()
    assert again.candidates == 1  # the task was read and its rows written again …
    assert Outbox.objects.filter(task=t).count() == 1  # … but the unique key kept exactly one
    assert again.total == 0  # task rows are counted as really inserted, on SQLite and PostgreSQL alike


def test_channels_follow_preferences_and_muting(county, rules):
    county.v11_disc.email = "v11@example.org"
    county.v11_disc.save()
    t = make_task(county.v11, D)
    esc = make_task(county.v21, D - timedelta(days=7))
    county.t2_disc.email = "t2@example.org"
    county.t2_disc.save()
    Preference.objects.create(user=county.t2_disc, muted_kinds=["escalation", "overdue"], email_enabled=False)
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        run_sweep()
    assert sorted(Outbox.objects.filter(task=t).values_list("channel", flat=True)) == ["email", "inapp"]
    # escalation cannot be muted; e-mail switched off → in-app only
    assert list(Outbox.objects.filter(task=esc, kind=Kind.ESCALATION).values_list("channel", flat=True)) == ["inapp"]
    # the muted overdue reminder to t2_disc? (the bearer is v21_disc, so none to t2_disc anyway)
    Preference.objects.create(user=county.v11_disc, muted_kinds=["due_today"])
    t2 = make_task(county.v11, D)
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        run_sweep()
    assert not Outbox.objects.filter(task=t2).exists()


def test_group_robot_gets_one_row_per_task_not_per_user(county, rules):
    w = Webhook.objects.create(org=county.v11, kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
    t = make_task(county.v11, D, bearer="committee")  # two bearers: party secretary + clerk
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        run_sweep()
    assert Outbox.objects.filter(task=t, channel="inapp").count() == 2
    assert list(Outbox.objects.filter(task=t, webhook=w).values_list("key", flat=True)) == [
        f"task:{t.pk}:due_today:2024-05-15:g{w.pk}:wecom"
    ]


def test_rows_wait_for_the_send_time(county, rules):
    make_task(county.v11, D)
    with time_machine.travel(bj(2024, 5, 15, 0, 5), tick=False):
        run_sweep()
    row = Outbox.objects.get(task__isnull=False)
    assert row.due_at == bj(2024, 5, 15, 8, 30)
    assert row.key.endswith(":due_today:2024-05-15:%d:inapp" % county.v11_disc.pk)


@pytest.mark.parametrize(
    "moment, business_date",
    [
        (bj(2024, 5, 15, 23, 30), date(2024, 5, 15)),  # 15:30 UTC the same day
        (bj(2024, 5, 16, 0, 30), date(2024, 5, 16)),  # 16:30 UTC the day *before*
        (bj(2024, 5, 16, 7, 59), date(2024, 5, 16)),  # 23:59 UTC the day before
    ],
)
def test_business_date_is_beijing_date_not_utc(county, rules, moment, business_date):
    today_task = make_task(county.v11, business_date)
    overdue_task = make_task(county.v12, business_date - timedelta(days=1), bearer="committee")
    county.v12.refresh_from_db()
    Membership.objects.create(user=county.nobody, org=county.v12, role=Role.CLERK, start_date=date(2020, 1, 1))
    utc_date = moment.astimezone(__import__("datetime").timezone.utc).date()
    wrong = make_task(county.v11, utc_date) if utc_date != business_date else None
    with time_machine.travel(moment, tick=False):
        result = run_sweep()
    assert result.business_date == business_date
    assert kinds_for(today_task) == [(Kind.DUE_TODAY, business_date)]
    assert kinds_for(overdue_task) == [(Kind.OVERDUE, business_date)]
    if wrong is not None:  # a task due on the UTC date is overdue (23:30) or due tomorrow (00:30/07:59)
        assert Kind.DUE_TODAY not in {k for k, _ in kinds_for(wrong)}


def test_overdue_span_respects_the_repeat_setting(county, rules):
    ReminderSettings.objects.filter(pk=1).update(overdue_repeat_days=0, escalate_after_days=30, escalate_again_after_days=0)
    a = make_task(county.v11, D - timedelta(days=1))
    b = make_task(county.v11, D - timedelta(days=4))
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        run_sweep()
    assert kinds_for(a) == [(Kind.OVERDUE, D)]
    assert kinds_for(b) == []


def test_escalation_missed_for_days_is_caught_up_once(county, rules):
    t = make_task(county.v11, D - timedelta(days=10))  # 7 days overdue on D-3; nothing ran since
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        run_sweep()
        run_sweep()
    esc = Outbox.objects.filter(task=t, kind=Kind.ESCALATION)
    assert esc.count() == 1 and esc.get().business_date == D - timedelta(days=3)
    assert esc.get().due_at < bj(2024, 5, 15, 10)  # due at once


def test_inactive_orgs_and_users_get_nothing(county, rules):
    county.v11.is_active = False
    county.v11.save()
    make_task(county.v11, D)
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        run_sweep()
    assert not Outbox.objects.filter(task__isnull=False).exists()


def test_queries_per_batch_are_bounded(county, rules, settings):
    settings.QINGDAN_SWEEP_BATCH_SIZE = 10
    for i in range(45):
        make_task(county.v11 if i % 2 else county.v21, D - timedelta(days=1))
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        with CaptureQueriesContext(connection) as small:
            r = run_sweep()
    assert r.candidates == 45 and r.batches >= 5
    for i in range(45):
        make_task(county.v12 if i % 2 else county.v21, D - timedelta(days=4), bearer="committee")
    Membership.objects.create(user=county.nobody, org=county.v12, role=Role.CLERK, start_date=date(2020, 1, 1))
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        with CaptureQueriesContext(connection) as big:
            r2 = run_sweep()
    assert r2.candidates == 45
    # per batch: one SELECT of tasks + one INSERT (plus a constant: settings, directory, rules)
    constant = len(small.captured_queries) - 2 * r.batches
    assert len(big.captured_queries) <= constant + 3 * r2.batches + 2


def test_task_rules_reject_nothing_silently_for_empty_county(db, rules):
    rules_list = task_rules(rules, D, None)
    assert {r.kind for r in rules_list} == {Kind.DUE_SOON, Kind.DUE_TODAY, Kind.ESCALATION}
    assert Outbox.objects.count() == 0
    assert run_sweep().total == 0


def test_send_time_setting_applies(county, rules):
    ReminderSettings.objects.filter(pk=1).update(send_time=time(7, 0))
    make_task(county.v11, D)
    with time_machine.travel(bj(2024, 5, 15, 1), tick=False):
        run_sweep()
    assert Outbox.objects.get(task__isnull=False).due_at == bj(2024, 5, 15, 7)


def test_rows_are_stamped_with_the_application_clock_not_the_database_clock(county, rules):
    """Every row the sweep writes — task reminders (INSERT … SELECT) and the digest (COPY and
    INSERT … SELECT) — carries the time the application reads, not the database server's now()."""
    moment = at(2027, 3, 1, 9)  # a Monday at 09:00: the weekly digest is owed too
    make_task(county.v11, date(2027, 3, 6))  # due in 5 days
    with travel(moment):
        run_sweep()
    kinds = set(Outbox.objects.values_list("kind", flat=True))
    assert {Kind.DUE_SOON, Kind.DIGEST} <= kinds, kinds
    assert set(Outbox.objects.values_list("created_at", flat=True)) == {moment}
