"""tasks.periods: every frequency's periods and due dates, at month, quarter and
year boundaries (pure functions, no database)."""

from datetime import date

import pytest

from responsibilities.defaults import HOLIDAYS
from tasks.periods import DueRuleError, festival_nodes, parse_month_day, periods_for

H26 = list(HOLIDAYS[2026].items())
H27 = list(HOLIDAYS[2027].items())


def test_monthly_twelve_periods_labels_and_fixed_day():
    ps = periods_for("M", 2026, due_rule="fixed", due_month_day="25")
    assert len(ps) == 12
    assert [p.label for p in ps[:3]] == ["2026年1月", "2026年2月", "2026年3月"]
    assert (ps[1].start, ps[1].end, ps[1].due) == (date(2026, 2, 1), date(2026, 2, 28), date(2026, 2, 25))
    assert (ps[11].start, ps[11].end, ps[11].due) == (date(2026, 12, 1), date(2026, 12, 31), date(2026, 12, 25))


def test_monthly_before_end_in_a_leap_february():
    ps = periods_for("M", 2028, due_rule="before_end", due_days=0)
    assert ps[1].end == ps[1].due == date(2028, 2, 29)
    assert ps[0].due == date(2028, 1, 31)


def test_quarterly_ten_days_before_quarter_end():
    ps = periods_for("Q", 2026, due_rule="before_end", due_days=10)
    assert [p.label for p in ps] == ["2026年第1季度", "2026年第2季度", "2026年第3季度", "2026年第4季度"]
    assert [(p.start, p.end) for p in ps] == [
        (date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 10, 1), date(2026, 12, 31)),
    ]
    assert [p.due for p in ps] == [date(2026, 3, 21), date(2026, 6, 20), date(2026, 9, 20), date(2026, 12, 21)]


def test_quarterly_fixed_day_of_last_month():
    ps = periods_for("Q", 2026, due_rule="fixed", due_month_day="20")
    assert [p.due for p in ps] == [date(2026, 3, 20), date(2026, 6, 20), date(2026, 9, 20), date(2026, 12, 20)]


def test_quarterly_day_31_does_not_exist_in_june():
    with pytest.raises(DueRuleError) as e:
        periods_for("Q", 2026, due_rule="fixed", due_month_day="31")
    assert e.value.code == "day_not_in_month" and e.value.params["month"] == 6


def test_half_yearly():
    ps = periods_for("H", 2026, due_rule="fixed", due_month_day="20")
    assert [(p.label, p.start, p.end, p.due) for p in ps] == [
        ("2026年上半年", date(2026, 1, 1), date(2026, 6, 30), date(2026, 6, 20)),
        ("2026年下半年", date(2026, 7, 1), date(2026, 12, 31), date(2026, 12, 20)),
    ]


def test_yearly_and_once():
    (y,) = periods_for("Y", 2026, due_rule="fixed", due_month_day="12-20")
    assert (y.label, y.start, y.end, y.due) == ("2026年度", date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 20))
    (o,) = periods_for("O", 2026, due_rule="before_end", due_days=0)
    assert (o.label, o.due) == ("2026年", date(2026, 12, 31))


def test_event_items_have_no_periods():
    assert periods_for("E", 2026) == []


def test_holiday_periods_2026():
    ps = periods_for("F", 2026, due_rule="before_holiday", due_days=3, holidays=H26, next_year_holidays=H27)
    assert [p.label for p in ps] == [
        "2026年春节前", "2026年清明前", "2026年五一前", "2026年端午前", "2026年中秋前", "2026年国庆前", "2027年元旦前",
    ]
    spring, qingming = ps[0], ps[1]
    assert (spring.start, spring.end, spring.due) == (date(2026, 1, 1), date(2026, 2, 16), date(2026, 2, 14))
    assert (qingming.start, qingming.end, qingming.due) == (date(2026, 2, 18), date(2026, 4, 4), date(2026, 4, 2))
    national, new_year = ps[5], ps[6]
    assert (national.start, national.end, national.due) == (date(2026, 9, 26), date(2026, 9, 30), date(2026, 9, 28))
    # 元旦 2027 closes the year: its 节前 period ends on 31 December 2026
    assert (new_year.start, new_year.end, new_year.due) == (date(2026, 10, 2), date(2026, 12, 31), date(2026, 12, 29))
    # periods tile the year without gaps except the holidays themselves
    for a, b in zip(ps, ps[1:], strict=False):
        assert (b.start - a.end).days == 2


def test_new_year_of_next_year_is_assumed_when_its_calendar_is_missing():
    ps = periods_for("F", 2027, due_rule="before_holiday", due_days=3, holidays=H27)
    assert ps[-1].label == "2028年元旦前" and ps[-1].end == date(2027, 12, 31)


def test_same_day_holidays_share_one_period():
    nodes = festival_nodes(2020, [("mid_autumn", date(2020, 10, 1)), ("national", date(2020, 10, 1))])
    assert nodes == [(date(2020, 10, 1), ["mid_autumn", "national"])]
    (p,) = periods_for("F", 2020, due_rule="before_holiday", due_days=3,
                       holidays=[("mid_autumn", date(2020, 10, 1)), ("national", date(2020, 10, 1))])
    assert p.label == "2020年中秋、国庆前"


def test_holiday_item_without_calendar():
    with pytest.raises(DueRuleError) as e:
        periods_for("F", 2030, due_rule="before_holiday", due_days=3)
    assert e.value.code == "no_holidays"


def test_holiday_due_before_its_period_is_refused():
    # 中秋 09-25 and 国庆 10-01: 7 days before 国庆 is before the 国庆 period starts
    with pytest.raises(DueRuleError) as e:
        periods_for("F", 2026, due_rule="before_holiday", due_days=7, holidays=H26, next_year_holidays=H27)
    assert e.value.code == "due_before_start"


@pytest.mark.parametrize("text,code", [("02-30", "no_such_date"), ("13-01", "no_such_date"), ("0331", "bad_month_day"), ("", "bad_month_day")])
def test_bad_month_day(text, code):
    with pytest.raises(DueRuleError) as e:
        parse_month_day(text)
    assert e.value.code == code


def test_february_29_falls_back_in_common_years():
    (p,) = periods_for("Y", 2026, due_rule="fixed", due_month_day="02-29")
    assert p.due == date(2026, 2, 28)
    (p,) = periods_for("Y", 2028, due_rule="fixed", due_month_day="02-29")
    assert p.due == date(2028, 2, 29)


def test_due_rule_past_the_period():
    with pytest.raises(DueRuleError) as e:
        periods_for("M", 2026, due_rule="before_end", due_days=40)
    assert e.value.code == "due_before_start"
    with pytest.raises(DueRuleError) as e:
        periods_for("F", 2026, due_rule="before_holiday", due_days=0, holidays=H26)
    assert e.value.code == "holiday_days_zero"
    with pytest.raises(DueRuleError) as e:
        periods_for("Q", 2026, due_rule="before_holiday", due_days=3)
    assert e.value.code == "holiday_rule_needs_holiday"
