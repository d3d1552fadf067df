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


def _in_window_whatever_as_of(w: Window) -> Q:
    return ~Q(status="cancelled") & Q(due_date__gte=w.start, due_date__lte=w.end)


def figure_q(key: str, w: Window) -> Q:
    done = DONE.q(w.as_of)  # done and on time mean what they mean for the warning colour
    on_time = ON_TIME.q(w.as_of)
    base = window_q(w)
    return {
        "due": base,
        "done": base & done,
        "on_time": base & done & on_time,
        "overdue_open": base & ~done & Q(due_date__lt=w.as_of),
        "done_late": base & done & ~on_time,
        "awaiting_review": _in_window_whatever_as_of(w) & Q(status="submitted"),
        "returned": _in_window_whatever_as_of(w) & Q(status="returned"),
        "extended": _in_window_whatever_as_of(w) & Q(extension_count__gt=0),
        "in_period": _in_window_whatever_as_of(w),
    }[key]


def on_time_rate(on_time: int, due: int) -> float | None:
    """按时完成率; None (shown as "—") when nothing was due — never a fake 100 %."""
    return None if due == 0 else on_time / due
