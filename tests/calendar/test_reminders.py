"""The reminder sweep at the turn of the year and across 29 February: which rows, for which
business date (Beijing's), and the weekly digest keyed by the ISO week of its Monday."""

from datetime import date, datetime

import pytest

from notifications.models import Kind, Outbox, ReminderSettings
from notifications.services import run_sweep
from tests.clock import BEIJING, at, travel
from tests.notifications.factories import make_task

from .conftest import JAN_2, MONDAY_W01, MONDAY_W53, NY_0030, NYE_2330

pytestmark = pytest.mark.django_db

TASK_KINDS = (Kind.DUE_SOON, Kind.DUE_TODAY, Kind.OVERDUE)


@pytest.fixture
def rules(db):
    return ReminderSettings.load()  # due soon 5 and 1 days before, overdue every 3 days, send at 08:30


def sweep(moment):
    with travel(moment):
        result = run_sweep()
    assert result.business_date == moment.date()
    return result


def rows(task, **filters):
    """(kind, business date, days) of the task's reminder rows to its discipline secretary."""
    qs = Outbox.objects.filter(task=task, kind__in=TASK_KINDS, channel="inapp", **filters)
    return sorted((r.kind, r.business_date, r.data.get("days")) for r in qs)


def test_31_december_2330_reminds_for_the_old_year_and_the_first_days_of_the_new(county, rules):
    tasks = {d: make_task(county.v11, d) for d in (date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 5))}
    sweep(NYE_2330)
    today = date(2026, 12, 31)
    assert {d: rows(t) for d, t in tasks.items()} == {
        date(2026, 12, 30): [(Kind.OVERDUE, today, None)],
        date(2026, 12, 31): [(Kind.DUE_TODAY, today, None)],
        date(2027, 1, 1): [(Kind.DUE_SOON, today, 1)],
        date(2027, 1, 5): [(Kind.DUE_SOON, today, 5)],
    }
    row = Outbox.objects.get(task=tasks[date(2026, 12, 31)], channel="inapp")
    assert ":2026-12-31:" in row.key and row.due_at == datetime(2026, 12, 31, 8, 30, tzinfo=BEIJING)


def test_1_january_0030_is_the_new_business_date_although_utc_is_still_31_december(county, rules):
    tasks = {d: make_task(county.v11, d) for d in (date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 6))}
    sweep(NYE_2330)
    sweep(NY_0030)
    new = date(2027, 1, 1)
    assert {d: rows(t, business_date=new) for d, t in tasks.items()} == {
        date(2026, 12, 31): [(Kind.OVERDUE, new, None)],
        date(2027, 1, 1): [(Kind.DUE_TODAY, new, None)],
        date(2027, 1, 2): [(Kind.DUE_SOON, new, 1)],
        date(2027, 1, 6): [(Kind.DUE_SOON, new, 5)],
    }
    overdue = Outbox.objects.get(task=tasks[date(2026, 12, 31)], kind=Kind.OVERDUE, channel="inapp")
    assert ":2027-01-01:" in overdue.key and overdue.due_at == datetime(2027, 1, 1, 8, 30, tzinfo=BEIJING)
    assert sweep(NY_0030).rows[Kind.OVERDUE] == 0  # exactly once


def test_overdue_cadence_runs_on_across_the_year_end(county, rules):
    t = make_task(county.v11, date(2026, 12, 31))
    for moment in (NY_0030, JAN_2, at(2027, 1, 3, 9), at(2027, 1, 4, 9)):
        sweep(moment)
    assert [b for _k, b, _d in rows(t, kind=Kind.OVERDUE)] == [date(2027, 1, 1), date(2027, 1, 4)]


def test_29_february(county, rules):
    soon = {d: make_task(county.v11, d) for d in (date(2028, 3, 1), date(2028, 3, 5))}
    overdue = make_task(county.v11, date(2028, 2, 26))
    for moment in (at(2028, 2, 27, 9), at(2028, 2, 28, 9), at(2028, 2, 29, 9), at(2028, 3, 1, 9), at(2028, 3, 2, 9)):
        sweep(moment)
    leap = date(2028, 2, 29)
    assert rows(soon[date(2028, 3, 1)], kind=Kind.DUE_SOON) == [(Kind.DUE_SOON, date(2028, 2, 29), 1)]
    assert rows(soon[date(2028, 3, 5)], kind=Kind.DUE_SOON) == [(Kind.DUE_SOON, leap, 5)]
    # the day after, then three days on: 27 February, 1 March (not 2 March as in a common year)
    assert [b for _k, b, _d in rows(overdue, kind=Kind.OVERDUE)] == [date(2028, 2, 27), date(2028, 3, 1)]


def digest_weeks():
    """{ISO week: (business date, recipients)} of the digest rows written."""
    out = {}
    for r in Outbox.objects.filter(kind=Kind.DIGEST, channel="inapp"):
        week = r.key.split(":")[1]
        d, users = out.setdefault(week, (r.business_date, set()))
        assert d == r.business_date == date.fromisocalendar(int(week[:4]), int(week[-2:]), 1)
        users.add(r.recipient.username)
    return out


def test_weekly_digest_on_the_monday_of_a_new_iso_week(county, rules):
    make_task(county.v11, date(2026, 12, 20))
    recipients = {"staff", "t1_disc", "t2_disc"}
    sweep(MONDAY_W53)
    assert digest_weeks() == {"2026-W53": (date(2026, 12, 28), recipients)}
    # stamped by the application's clock, like the task rows (not by the database's own)
    assert set(Outbox.objects.values_list("created_at", flat=True)) == {MONDAY_W53}
    # Friday 1 January and Sunday 3 January are still in 2026-W53: nothing more
    for moment in (NY_0030, at(2027, 1, 1, 10), at(2027, 1, 3, 23, 30), at(2027, 1, 4, 8, 59)):
        sweep(moment)
        assert set(digest_weeks()) == {"2026-W53"}
    sweep(MONDAY_W01)
    assert digest_weeks() == {"2026-W53": (date(2026, 12, 28), recipients), "2027-W01": (date(2027, 1, 4), recipients)}
