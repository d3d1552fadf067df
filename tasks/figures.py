"""The headline figures, defined once as filters.

The dashboard counts them, the task list filters by them (``?figure=<key>``),
the quarterly report sums them: all three call ``figure_q`` so a number and
the list behind it cannot disagree.

A *window* is the span of due dates being reported on (a year, quarter or
month) and an *as-of* date D. Tasks count towards the window when their due
date falls in ``[start, min(end, D)]`` — what was due by D — except the
"in progress" figures (awaiting review, returned, extended), which cover every
task due in the window whatever D, and ``in_period``: every task due in the window,
due yet or not — what the warning colours and the progress page count (their colours
add up to it).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .warnings import DONE, ON_TIME


@dataclass(frozen=True)
class Window:
    start: date
    end: date
    as_of: date

    @property
    def due_until(self) -> date:
        return min(self.end, self.as_of)


FIGURES = {
    "due": _("Due"),
    "done": _("Done"),
    "on_time": _("Done on time"),
    "overdue_open": _("Overdue, not done"),
    "done_late": _("Done late"),
    "awaiting_review": _("Awaiting review"),
    "returned": _("Returned"),
    "extended": _("Extended"),
    "in_period": _("All in the period"),
}


def window_q(w: Window) -> Q:
    """Tasks due in the window by the as-of date (not cancelled)."""
    return ~Q(status="cancelled") & Q(due_date__gte=w.start, due_date__lte=w.due_until)


def period_q(w: Window) -> Q:
    """Every task of the window's period, due by the as-of date or not (not cancelled)."""
    return ~Q(status="cancelled") & Q(due_date__gte=w.start, due_date__lte=w.end)


def figure_within(key: str, w: Window) -> Q | None:
    """Figure ``key`` among the tasks ``period_q(w)`` selects: what a query that already selects
    them (the dashboard's) adds to count it; None when it counts every one of them."""
    done = DONE.q(w.as_of)  # done and on time mean what they mean for the warning colour
    on_time = ON_TIME.q(w.as_of)
    due = Q(due_date__lte=w.due_until)
    return {
        "due": due,
        "done": due & done,
        "on_time": due & done & on_time,
        "overdue_open": due & ~done & Q(due_date__lt=w.as_of),
        "done_late": due & done & ~on_time,
        "awaiting_review": Q(status="submitted"),
        "returned": Q(status="returned"),
        "extended": Q(extension_count__gt=0),
        "in_period": None,
    }[key]


def figure_q(key: str, w: Window) -> Q:
    within = figure_within(key, w)
    return period_q(w) if within is None else period_q(w) & within


def on_time_rate(on_time: int, due: int) -> float | None:
    """按时完成率; None (shown as "—") when nothing was due — never a fake 100 %."""
    return None if due == 0 else on_time / due
