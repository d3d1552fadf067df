"""Due rules at the edges of months, quarters and years (tasks.periods, no database)."""

from datetime import date

import pytest

from tasks.periods import BEFORE_END, FIXED, DueRuleError, periods_for


def dues(frequency, year, rule=BEFORE_END, days=0, month_day=""):
    return [(p.label, p.start, p.end, p.due) for p in
            periods_for(frequency, year, due_rule=rule, due_days=days, due_month_day=month_day)]


def test_end_of_quarter_is_the_quarters_last_day():
    assert dues("Q", 2026) == [
        ("2026年第1季度", date(2026, 1, 1), date(2026, 3, 31), date(2026, 3, 31)),
        ("2026年第2季度", date(2026, 4, 1), date(2026, 6, 30), date(2026, 6, 30)),
        ("2026年第3季度", date(2026, 7, 1), date(2026, 9, 30), date(2026, 9, 30)),
        ("2026年第4季度", date(2026, 10, 1), date(2026, 12, 31), date(2026, 12, 31)),
    ]


def test_days_before_the_end_of_a_quarter_count_back_within_it():
    assert [d for *_, d in dues("Q", 2028, days=10)] == [
        date(2028, 3, 21), date(2028, 6, 20), date(2028, 9, 20), date(2028, 12, 21)]


def test_the_25th_of_the_periods_last_month():
    assert [d for *_, d in dues("Q", 2026, FIXED, month_day="25")] == [
        date(2026, 3, 25), date(2026, 6, 25), date(2026, 9, 25), date(2026, 12, 25)]
    assert [d for *_, d in dues("H", 2026, FIXED, month_day="25")] == [date(2026, 6, 25), date(2026, 12, 25)]
    assert dues("M", 2026, FIXED, month_day="25")[-1] == ("2026年12月", date(2026, 12, 1), date(2026, 12, 31), date(2026, 12, 25))


def test_20_december_closes_the_fourth_quarter_and_the_year():
    assert dues("Q", 2026, FIXED, month_day="20")[-1] == ("2026年第4季度", date(2026, 10, 1), date(2026, 12, 31), date(2026, 12, 20))
    assert dues("Y", 2026, FIXED, month_day="12-20") == [("2026年度", date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 20))]
    assert dues("H", 2026) == [("2026年上半年", date(2026, 1, 1), date(2026, 6, 30), date(2026, 6, 30)),
                               ("2026年下半年", date(2026, 7, 1), date(2026, 12, 31), date(2026, 12, 31))]


def test_february_in_a_leap_year_and_the_next():
    assert dues("M", 2028)[1] == ("2028年2月", date(2028, 2, 1), date(2028, 2, 29), date(2028, 2, 29))
    assert dues("M", 2027)[1] == ("2027年2月", date(2027, 2, 1), date(2027, 2, 28), date(2027, 2, 28))
    assert dues("M", 2028, days=3)[1][3] == date(2028, 2, 26)
    assert dues("M", 2027, days=3)[1][3] == date(2027, 2, 25)
    assert dues("Y", 2028, FIXED, month_day="02-29")[0][3] == date(2028, 2, 29)
    assert dues("Y", 2027, FIXED, month_day="02-29")[0][3] == date(2027, 2, 28)  # falls back
    assert dues("M", 2028, FIXED, month_day="29")[1][3] == date(2028, 2, 29)
    with pytest.raises(DueRuleError) as e:
        dues("M", 2027, FIXED, month_day="29")
    assert e.value.code == "day_not_in_month" and e.value.params["month"] == 2


def test_a_year_is_one_period_whatever_its_length():
    assert dues("Y", 2028) == [("2028年度", date(2028, 1, 1), date(2028, 12, 31), date(2028, 12, 31))]
    assert dues("O", 2027, days=1) == [("2027年", date(2027, 1, 1), date(2027, 12, 31), date(2027, 12, 30))]
