"""蓝黄红绿: the one place where a task's warning colour is decided.

The rule is written once, as a database expression (``colour_expression``),
so lists, dashboard counts and Excel all group by the same thing; and
``colour_of`` evaluates that same rule for one task in Python (tests assert
both agree for every state).

As of date D (today by default):
* cancelled → none (not counted);
* approved by D → green if completed on or before the due date, else late (逾期完成);
* submitted by D, awaiting review → blue if completed on time, else late;
* not done by D → red if the due date has passed, yellow if due within
  YELLOW_DAYS (5), otherwise blue.
"""

from datetime import date, timedelta

from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

YELLOW_DAYS = 5


class Colour:
    BLUE = "blue"
    YELLOW = "yellow"
    RED = "red"
    GREEN = "green"
    LATE = "late"
    NONE = "none"

    ALL = (RED, YELLOW, BLUE, GREEN, LATE)


def _done_by(on: date) -> Q:
    return Q(status__in=("submitted", "approved"), completed_on__isnull=False, completed_on__lte=on)


def colour_q(colour: str, on: date) -> Q:
    """A filter selecting tasks of one colour as of ``on``."""
    approved = Q(status="approved", approved_on__isnull=False, approved_on__lte=on) & _done_by(on)
    done = _done_by(on)
    on_time = Q(completed_on__lte=F("due_date"))
    not_done = ~Q(status="cancelled") & ~done
    return {
        Colour.GREEN: approved & on_time,
        Colour.LATE: done & ~on_time,
        Colour.BLUE: (done & ~approved & on_time) | (not_done & Q(due_date__gt=on + timedelta(days=YELLOW_DAYS))),
        Colour.RED: not_done & Q(due_date__lt=on),
        Colour.YELLOW: not_done & Q(due_date__gte=on, due_date__lte=on + timedelta(days=YELLOW_DAYS)),
        Colour.NONE: Q(status="cancelled"),
    }[colour]


def colour_expression(on: date) -> Case:
    """Annotate a Task queryset: ``.annotate(colour=colour_expression(today))``."""
    return Case(
        *(When(colour_q(c, on), then=Value(c)) for c in (Colour.NONE, Colour.GREEN, Colour.LATE, Colour.RED, Colour.YELLOW)),
        default=Value(Colour.BLUE),
        output_field=CharField(),
    )


def colour_of(task, on: date) -> str:
    """The same rule for one in-memory task."""
    if task.status == "cancelled":
        return Colour.NONE
    done = task.status in ("submitted", "approved") and task.completed_on is not None and task.completed_on <= on
    if done:
        on_time = task.completed_on <= task.due_date
        if not on_time:
            return Colour.LATE
        approved = task.status == "approved" and task.approved_on is not None and task.approved_on <= on
        return Colour.GREEN if approved else Colour.BLUE
    if task.due_date < on:
        return Colour.RED
    if task.due_date <= on + timedelta(days=YELLOW_DAYS):
        return Colour.YELLOW
    return Colour.BLUE


COLOUR_LABELS = {
    Colour.BLUE: _("Blue · open"),
    Colour.YELLOW: _("Yellow · due soon"),
    Colour.RED: _("Red · overdue"),
    Colour.GREEN: _("Green · approved on time"),
    Colour.LATE: _("Done late"),
}
