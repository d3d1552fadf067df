"""Weekly digest (Monday 09:00 Beijing, once per ISO week, scoped) and 节前廉政提醒."""

from datetime import date, timedelta

import pytest
import time_machine

from notifications.models import InboxMessage, Kind, Outbox, ReminderSettings, State
from notifications.services import deliver_due, run_sweep
from responsibilities.models import Holiday
from tests.notifications.conftest import bj
from tests.notifications.factories import make_task

pytestmark = pytest.mark.django_db

MONDAY = date(2024, 5, 13)


def digests():
    return Outbox.objects.filter(kind=Kind.DIGEST)


def test_digest_goes_to_county_staff_and_town_discipline_secretaries(county, rules):
    with time_machine.travel(bj(2024, 5, 13, 9, 0), tick=False):
        run_sweep()
    assert set(digests().values_list("recipient__username", flat=True)) == {"staff", "t1_disc", "t2_disc"}
    assert set(digests().values_list("business_date", flat=True)) == {MONDAY}
    assert digests().first().key.startswith("digest:2024-W20:")


@pytest.mark.parametrize("moment", [
    bj(2024, 5, 13, 8, 59),  # Monday before 09:00
    bj(2024, 5, 13, 0, 30),  # Monday 00:30 Beijing = Sunday 16:30 UTC
    bj(2024, 5, 13, 7, 59),  # Monday 07:59 Beijing = Sunday 23:59 UTC
])
def test_no_digest_for_the_new_week_before_monday_nine(county, rules, moment):
    with time_machine.travel(moment, tick=False):
        run_sweep()
    assert not digests().filter(business_date__gte=MONDAY).exists()
    # … while last week's, if it was missed, is still caught up (once)
    assert set(digests().values_list("business_date", flat=True)) <= {MONDAY - timedelta(days=7)}


def test_sunday_night_catches_up_this_weeks_digest_not_next_weeks(county, rules):
    with time_machine.travel(bj(2024, 5, 19, 23, 30), tick=False):  # Sunday 23:30 Beijing
        run_sweep()
    assert set(digests().values_list("business_date", flat=True)) == {MONDAY}


def test_digest_is_sent_once_per_week_whatever_the_number_of_sweeps(county, rules):
    make_task(county.v11, MONDAY - timedelta(days=2))
    for moment in (bj(2024, 5, 13, 9), bj(2024, 5, 13, 9, 1), bj(2024, 5, 14, 12), bj(2024, 5, 16, 18)):
        with time_machine.travel(moment, tick=False):
            run_sweep()
            deliver_due()
    assert InboxMessage.objects.filter(kind=Kind.DIGEST, user=county.t1_disc).count() == 1
    with time_machine.travel(bj(2024, 5, 20, 9, 5), tick=False):
        run_sweep()
        deliver_due()
    assert InboxMessage.objects.filter(kind=Kind.DIGEST, user=county.t1_disc).count() == 2


def test_digest_lists_only_what_is_overdue_in_scope(county, rules):
    make_task(county.v11, MONDAY - timedelta(days=3), title="东村逾期事项")
    make_task(county.town1, MONDAY - timedelta(days=10), title="镇里逾期事项")
    make_task(county.v21, MONDAY - timedelta(days=1), title="南村逾期事项")
    make_task(county.v11, MONDAY, title="今天到期不算")
    make_task(county.v11, MONDAY - timedelta(days=5), status="submitted", completed_on=MONDAY - timedelta(days=6), title="已完成")
    with time_machine.travel(bj(2024, 5, 13, 9, 30), tick=False):
        run_sweep()
        deliver_due()
    t1 = InboxMessage.objects.get(user=county.t1_disc, kind=Kind.DIGEST)
    assert "2 项" in t1.title
    assert "东村逾期事项" in t1.body and "镇里逾期事项" in t1.body
    assert "南村" not in t1.body and "今天到期不算" not in t1.body and "已完成" not in t1.body
    assert t1.body.index("镇里逾期事项") < t1.body.index("东村逾期事项")  # oldest first
    staff = InboxMessage.objects.get(user=county.staff, kind=Kind.DIGEST)
    assert "3 项" in staff.title
    t2 = InboxMessage.objects.get(user=county.t2_disc, kind=Kind.DIGEST)
    assert "1 项" in t2.title and "南村逾期事项" in t2.body


def test_empty_digest_is_skipped_not_sent(county, rules):
    make_task(county.v21, MONDAY - timedelta(days=3))
    with time_machine.travel(bj(2024, 5, 13, 9, 30), tick=False):
        run_sweep()
        deliver_due()
    assert digests().get(recipient=county.t1_disc).state == State.SKIPPED
    assert not InboxMessage.objects.filter(user=county.t1_disc, kind=Kind.DIGEST).exists()


def test_digest_day_and_time_are_configurable_and_can_be_off(county, rules):
    ReminderSettings.objects.filter(pk=1).update(digest_weekday=4, digest_time="17:30")
    with time_machine.travel(bj(2024, 5, 17, 17, 29), tick=False):
        run_sweep()
    assert not digests().exists()
    with time_machine.travel(bj(2024, 5, 17, 17, 30), tick=False):
        run_sweep()
    assert set(digests().values_list("business_date", flat=True)) == {date(2024, 5, 17)}
    Outbox.objects.all().delete()
    ReminderSettings.objects.filter(pk=1).update(digest_enabled=False)
    with time_machine.travel(bj(2024, 5, 17, 18), tick=False):
        run_sweep()
    assert not digests().exists()


# --- 节前廉政提醒 ----------------------------------------------------------------------------------
def test_holiday_reminder_n_days_before_to_every_orgs_secretaries(county, rules):
    h = Holiday.objects.create(year=2024, name="dragon_boat", date=date(2024, 6, 10))
    ReminderSettings.objects.filter(pk=1).update(holiday_text="{holiday}（{date}）还有{days}天，严守纪律。")
    with time_machine.travel(bj(2024, 6, 6, 12), tick=False):  # 4 days before
        run_sweep()
    assert not Outbox.objects.filter(kind=Kind.HOLIDAY).exists()
    with time_machine.travel(bj(2024, 6, 7, 8, 0), tick=False):  # 3 days before, before send time
        run_sweep()
        deliver_due()
    rows = Outbox.objects.filter(kind=Kind.HOLIDAY)
    assert set(rows.values_list("recipient__username", flat=True)) == {
        "county_sec", "t1_party", "t1_disc", "v11_disc", "v11_party", "t2_disc", "v21_disc"}
    assert rows.first().key == f"holiday:{h.pk}:{rows.first().recipient_id}:inapp"
    assert not InboxMessage.objects.filter(kind=Kind.HOLIDAY).exists()
    with time_machine.travel(bj(2024, 6, 7, 8, 30), tick=False):
        deliver_due()
    m = InboxMessage.objects.get(user=county.v11_disc, kind=Kind.HOLIDAY)
    assert m.title.startswith("【节前廉政提醒】")
    assert m.body == "Dragon Boat Festival（2024年6月10日）还有3天，严守纪律。" or "还有3天，严守纪律。" in m.body
    for moment in (bj(2024, 6, 8, 9), bj(2024, 6, 10, 9), bj(2024, 6, 11, 9)):
        with time_machine.travel(moment, tick=False):
            run_sweep()
            deliver_due()
    assert InboxMessage.objects.filter(user=county.v11_disc, kind=Kind.HOLIDAY).count() == 1


def test_missed_holiday_window_is_caught_up_until_the_holiday(county, rules):
    Holiday.objects.create(year=2024, name="national", date=date(2024, 10, 1))
    with time_machine.travel(bj(2024, 9, 30, 22), tick=False):
        run_sweep()
        deliver_due()
    assert InboxMessage.objects.filter(kind=Kind.HOLIDAY, user=county.t1_party).count() == 1


def test_default_holiday_text_is_chinese(county, db):
    ReminderSettings.objects.all().delete()
    text = ReminderSettings.load().holiday_text
    assert "八项规定" in text and "{holiday}" in text
