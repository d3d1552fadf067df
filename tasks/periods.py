"""Periods of a year for each frequency, and the due date a due rule gives them.

Pure functions (no database, no clock): generation, validation and the
publish preview all call them, and tests pin them down at month, quarter and
year boundaries.

Frequencies (``responsibilities.choices.Frequency``):

* ``M`` — 12 months, labelled "2026年3月";
* ``Q`` — 4 quarters, "2026年第3季度";
* ``H`` — 2 halves, "2026年上半年" / "2026年下半年";
* ``Y`` — the year, "2026年度";
* ``O`` — once in the year (same span as Y), "2026年";
* ``F`` — one period before each holiday (节点): from the day after the
  previous holiday (or 1 January) to the day before the holiday, labelled
  "2026年春节前". 元旦 falls on 1 January, so its 节前 period is the end of
  the *previous* year: year Y's nodes are its holidays after 1 January plus
  元旦 of Y+1 ("2027年元旦前", period up to 31 December Y). Holidays on the same
  day share one period ("2020年中秋、国庆前");
* ``E`` — no automatic periods (dispatched on demand).

Due rules (``responsibilities.choices.DueRule``):

* ``before_end`` — N days before the period's last day (N = 0: on the last day);
* ``fixed`` — ``MM-DD`` for Y and O (a date in the year), ``DD`` for M, Q and H
  (that day of the period's last month: "25" → the 25th of every month;
  "20" for Q → 03-20, 06-20, 09-20, 12-20);
* ``before_holiday`` — N ≥ 1 days before the holiday (F only).

Every due date must fall inside its period; otherwise ``DueRuleError``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY, HOLIDAY, EVENT, ONCE = "M", "Q", "H", "Y", "F", "E", "O"
BEFORE_END, FIXED, BEFORE_HOLIDAY = "before_end", "fixed", "before_holiday"

# Period labels are data stored on each task, in Chinese like the lists themselves.
HOLIDAY_LABELS = {
    "new_year": "元旦",
    "spring": "春节",
    "qingming": "清明",
    "labour": "五一",
    "dragon_boat": "端午",
    "mid_autumn": "中秋",
    "national": "国庆",
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    due: date


class DueRuleError(ValueError):
    """A due rule that cannot give a valid due date. ``code`` and ``params`` let
    the caller word the message (responsibilities.validation)."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")


# --- spans ------------------------------------------------------------------

def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_spans(year: int) -> list[tuple[date, date, str]]:
    return [(date(year, m, 1), _month_end(year, m), f"{year}年{m}月") for m in range(1, 13)]


def quarter_spans(year: int) -> list[tuple[date, date, str]]:
    return [
        (date(year, 3 * q - 2, 1), _month_end(year, 3 * q), f"{year}年第{q}季度") for q in range(1, 5)
    ]


def half_spans(year: int) -> list[tuple[date, date, str]]:
    return [
        (date(year, 1, 1), date(year, 6, 30), f"{year}年上半年"),
        (date(year, 7, 1), date(year, 12, 31), f"{year}年下半年"),
    ]


def year_span(year: int, label: str | None = None) -> list[tuple[date, date, str]]:
    return [(date(year, 1, 1), date(year, 12, 31), label or f"{year}年度")]


def festival_nodes(
    year: int,
    holidays: Iterable[tuple[str, date]],
    next_year_holidays: Iterable[tuple[str, date]] = (),
) -> list[tuple[date, list[str]]]:
    """The 节点 of ``year``: its holidays after 1 January, plus 元旦 of year+1
    (from next year's calendar, or 1 January — 元旦 is always that day — when
    this year's calendar has 元旦 and next year's is not entered yet).
    Returns ``[(date, [names…]), …]`` sorted, same-day holidays merged."""
    first = date(year, 1, 1)
    following = date(year + 1, 1, 1)
    this_year = list(holidays)
    nodes: dict[date, list[str]] = {}
    for name, day in this_year:
        if first < day < following:
            nodes.setdefault(day, []).append(name)
    ny = [(n, d) for n, d in next_year_holidays if d == following]
    if not ny and any(n == "new_year" for n, _ in this_year):
        ny = [("new_year", following)]
    for name, day in ny:
        nodes.setdefault(day, []).append(name)
    order = list(HOLIDAY_LABELS)
    return [
        (day, sorted(names, key=lambda n: order.index(n) if n in order else len(order)))
        for day, names in sorted(nodes.items())
    ]


def festival_spans(year: int, nodes: list[tuple[date, list[str]]]) -> list[tuple[date, date, str, date]]:
    """(start, end, label, holiday) for each node."""
    spans = []
    start = date(year, 1, 1)
    for day, names in nodes:
        label = f"{day.year}年" + "、".join(HOLIDAY_LABELS.get(n, n) for n in names) + "前"
        end = day - timedelta(days=1)
        if end >= start:
            spans.append((start, end, label, day))
        start = day + timedelta(days=1)
    return spans


# --- due rules --------------------------------------------------------------

_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$")
_DAY = re.compile(r"^\s*(\d{1,2})\s*$")


def parse_month_day(text: str, year: int = 2000) -> tuple[int, int]:
    """``"03-31"`` → (3, 31). A date that does not exist (``02-30``) raises
    ``DueRuleError("no_such_date")`` — checked against a leap year by default
    (02-29 is accepted and falls back to 02-28 in other years, see ``fixed_date``)."""
    m = _MONTH_DAY.match(text or "")
    if not m:
        raise DueRuleError("bad_month_day", value=text)
    month, day = int(m.group(1)), int(m.group(2))
    try:
        date(year, month, day)
    except ValueError:
        raise DueRuleError("no_such_date", value=text) from None
    return month, day


def parse_day(text: str) -> int:
    m = _DAY.match(text or "")
    if not m or not 1 <= int(m.group(1)) <= 31:
        raise DueRuleError("bad_day", value=text)
    return int(m.group(1))


def fixed_date(year: int, text: str) -> date:
    month, day = parse_month_day(text)
    if month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    return date(year, month, day)


def _check_inside(due: date, start: date, end: date, label: str) -> date:
    if due < start:
        raise DueRuleError("due_before_start", period=label, due=due, start=start, end=end)
    if due > end:
        raise DueRuleError("due_after_end", period=label, due=due, start=start, end=end)
    return due


def periods_for(
    frequency: str,
    year: int,
    *,
    due_rule: str = BEFORE_END,
    due_days: int = 0,
    due_month_day: str = "",
    holidays: Iterable[tuple[str, date]] = (),
    next_year_holidays: Iterable[tuple[str, date]] = (),
) -> list[Period]:
    """All periods of ``year`` for an item, each with its due date.

    Raises ``DueRuleError`` when the rule does not fit the frequency or gives a
    due date outside a period, and ``DueRuleError("no_holidays")`` for an F
    item when the year has no holiday calendar."""
    due_days = int(due_days or 0)
    if frequency == EVENT:
        return []
    if frequency == HOLIDAY:
        if due_rule != BEFORE_HOLIDAY:
            raise DueRuleError("holiday_needs_holiday_rule")
        if due_days < 1:
            raise DueRuleError("holiday_days_zero")
        nodes = festival_nodes(year, holidays, next_year_holidays)
        if not nodes:
            raise DueRuleError("no_holidays", year=year)
        out = []
        for start, end, label, holiday in festival_spans(year, nodes):
            due = holiday - timedelta(days=due_days)
            out.append(Period(start, end, label, _check_inside(due, start, end, label)))
        return out
    if due_rule == BEFORE_HOLIDAY:
        raise DueRuleError("holiday_rule_needs_holiday")

    spans = {
        MONTHLY: month_spans,
        QUARTERLY: quarter_spans,
        HALF_YEARLY: half_spans,
        YEARLY: year_span,
        ONCE: lambda y: year_span(y, f"{y}年"),
    }.get(frequency)
    if spans is None:
        raise DueRuleError("bad_frequency", value=frequency)

    out = []
    if due_rule == FIXED:
        if frequency in (YEARLY, ONCE):
            (start, end, label), = spans(year)
            due = fixed_date(year, due_month_day)
            return [Period(start, end, label, _check_inside(due, start, end, label))]
        day = parse_day(due_month_day)
        for start, end, label in spans(year):
            if day > calendar.monthrange(end.year, end.month)[1]:
                raise DueRuleError("day_not_in_month", day=day, month=end.month, period=label)
            due = date(end.year, end.month, day)
            out.append(Period(start, end, label, _check_inside(due, start, end, label)))
        return out
    if due_rule != BEFORE_END:
        raise DueRuleError("bad_rule", value=due_rule)
    for start, end, label in spans(year):
        due = end - timedelta(days=due_days)
        out.append(Period(start, end, label, _check_inside(due, start, end, label)))
    return out


def event_label(day: date) -> str:
    """Label of an on-demand (事件) task dispatched on ``day``."""
    return f"{day.year}年{day.month}月{day.day}日交办"
