"""蓝黄红绿: the one place where a task's warning colour is decided and shown.

The rule is ``RULE``, an ordered list of (colour, condition): a task as of date D
takes the colour of the first condition it meets. Each condition is built from a
few predicates that know how to say themselves both ways — as a Django ``Q`` over
Task columns and as a test on one in-memory task — so the database expression
(``colour_expression``, ``colour_q``: lists, dashboard counts, reminders) and the
Python evaluation (``colour_of``: rows already loaded) are generated from the same
definition and cannot drift apart.

As of date D (today by default):
* cancelled → none (not counted);
* done by D (submitted or approved, completed on or before D) and completed after
  the due date → late (逾期完成);
* done by D, on time, approved by D → green; awaiting review → blue;
* not done by D → red if the due date has passed, yellow if due within
  YELLOW_DAYS (5), otherwise blue.

``LOOKS`` is the one registry of how each colour is shown: its short name, its
label, its CSS class (defined in static/css/app.css) and its Excel fill.
"""

import operator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Callable
from datetime import date, timedelta

from django.apps import apps
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.functional import Promise
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


@cache
def _nullable(name: str) -> bool:
    return apps.get_model("tasks", "Task")._meta.get_field(name).null


# --- predicates: each is a Q for a given as-of date and a test on one task ----------------


class Cond:
    def q(self, on: date) -> Q:
        raise NotImplementedError

    def test(self, on: date) -> Callable[[object], bool]:
        """The same condition as a function of one in-memory task (as of ``on``)."""
        raise NotImplementedError

    def __and__(self, other: "Cond") -> "Cond":
        return All((self, other))

    def __or__(self, other: "Cond") -> "Cond":
        return Any((self, other))

    def __invert__(self) -> "Cond":
        return Not(self)

    def conjuncts(self) -> tuple["Cond", ...]:
        return (self,)


@dataclass(frozen=True)
class AsOf:
    """The as-of date D plus ``days``."""

    days: int = 0

    def sql(self, on: date):
        return on + timedelta(days=self.days)



@dataclass(frozen=True)
class Field:
    """Another date column of the same task."""

    name: str

    def sql(self, on: date):
        return F(self.name)



@dataclass(frozen=True)
class StatusIn(Cond):
    statuses: tuple[str, ...]

    def q(self, on):
        return Q(status=self.statuses[0]) if len(self.statuses) == 1 else Q(status__in=self.statuses)

    def test(self, on):
        statuses = self.statuses
        return lambda task: task.status in statuses


@dataclass(frozen=True)
class DateBefore(Cond):
    """``field`` is set and falls on or before (``strict``: strictly before) ``ref``. A NULL
    on either side makes it false both in SQL and in Python, so negating it is plain NOT."""

    field: str
    ref: AsOf | Field
    strict: bool = False

    def q(self, on):
        op = "lt" if self.strict else "lte"
        q = Q(**{f"{self.field}__{op}": self.ref.sql(on)})
        for name in (self.field, self.ref.name if isinstance(self.ref, Field) else None):
            if name and _nullable(name):
                q &= Q(**{f"{name}__isnull": False})
        return q

    def test(self, on):
        field, strict = self.field, self.strict
        if isinstance(self.ref, Field):
            other = self.ref.name

            def holds(task):
                value, ref = getattr(task, field), getattr(task, other)
                return value is not None and ref is not None and (value < ref if strict else value <= ref)
        else:
            ref = self.ref.sql(on)

            def holds(task):
                value = getattr(task, field)
                return value is not None and (value < ref if strict else value <= ref)
        return holds


def _scan(tests, stop_on: bool):
    """A task's answer to ``tests`` joined: ``stop_on`` as soon as one test gives it (False for
    AND, True for OR), else the other."""
    def holds(task):
        for t in tests:
            if t(task) is stop_on:
                return stop_on
        return not stop_on
    return holds


@dataclass(frozen=True)
class _Join(Cond):
    parts: tuple[Cond, ...]
    join = staticmethod(operator.and_)  # how two Q are joined
    stop_on = False  # the answer that settles it as soon as one part gives it

    def q(self, on):
        out = Q()
        for p in self.parts:
            out = self.join(out, p.q(on))
        return out

    def test(self, on):
        return _scan([p.test(on) for p in self.parts], stop_on=self.stop_on)


class All(_Join):
    def conjuncts(self):
        return tuple(c for p in self.parts for c in p.conjuncts())


class Any(_Join):
    join = staticmethod(operator.or_)
    stop_on = True


@dataclass(frozen=True)
class Not(Cond):
    part: Cond

    def q(self, on):
        return ~self.part.q(on)

    def test(self, on):
        inner = self.part.test(on)
        return lambda task: not inner(task)


@dataclass(frozen=True)
class Always(Cond):
    def q(self, on):
        return Q()

    def test(self, on):
        return lambda task: True


# --- the rule ------------------------------------------------------------------------------

CANCELLED = StatusIn(("cancelled",))
DONE = StatusIn(("submitted", "approved")) & DateBefore("completed_on", AsOf())  # done by D
APPROVED = StatusIn(("approved",)) & DateBefore("approved_on", AsOf())  # approved by D
ON_TIME = DateBefore("completed_on", Field("due_date"))
OVERDUE = DateBefore("due_date", AsOf(), strict=True)
DUE_SOON = DateBefore("due_date", AsOf(YELLOW_DAYS))

RULE: tuple[tuple[str, Cond], ...] = (
    (Colour.NONE, CANCELLED),
    (Colour.LATE, DONE & ~ON_TIME),
    (Colour.GREEN, DONE & APPROVED),
    (Colour.BLUE, DONE),  # on time, awaiting review
    (Colour.RED, OVERDUE),
    (Colour.YELLOW, DUE_SOON),
    (Colour.BLUE, Always()),
)


def _implies(a: Cond, b: Cond) -> bool:
    """``a`` is ``b`` and more (every conjunct of ``b`` is one of ``a``'s)."""
    return set(b.conjuncts()) <= set(a.conjuncts())


def _matches(i: int) -> Cond:
    """Entry ``i`` of RULE as a condition on its own: it holds and no earlier entry does. An
    earlier condition that already implies a later earlier one (``DONE & X`` before ``DONE``)
    adds nothing to the negation and is left out, which keeps the SQL short."""
    _colour, cond = RULE[i]
    earlier = [c for _c, c in RULE[:i]]
    kept = [c for j, c in enumerate(earlier) if not any(_implies(c, k) for k in earlier[j + 1:])]
    parts = [p for p in (cond, *(~c for c in kept)) if not isinstance(p, Always)]
    return All(tuple(parts)) if len(parts) > 1 else parts[0]


def _by_colour() -> dict[str, Cond]:
    """Each colour as one condition: the entries of RULE with that colour, OR-ed."""
    assert isinstance(RULE[-1][1], Always), "the rule ends with a default"
    out: dict[str, Cond] = {}
    for i, (colour, _cond) in enumerate(RULE):
        out[colour] = out[colour] | _matches(i) if colour in out else _matches(i)
    return out


_BY_COLOUR = _by_colour()


def colour_q(colour: str, on: date) -> Q:
    """A filter selecting tasks of one colour as of ``on``."""
    return _BY_COLOUR[colour].q(on)


def colour_expression(on: date) -> Case:
    """Annotate a Task queryset: ``.annotate(colour=colour_expression(today))``."""
    return Case(
        *(When(cond.q(on), then=Value(c)) for c, cond in RULE[:-1]),
        default=Value(RULE[-1][0]),
        output_field=CharField(),
    )


@lru_cache(maxsize=8)
def _tests(on: date) -> tuple[tuple[str, Callable[[object], bool]], ...]:
    return tuple((colour, cond.test(on)) for colour, cond in RULE)


def colour_of(task, on: date) -> str:
    """The same rule for one in-memory task."""
    for colour, holds in _tests(on):
        if holds(task):
            return colour
    raise AssertionError("unreachable: the rule ends with Always")


# --- how a colour is shown ----------------------------------------------------------------


@dataclass(frozen=True)
class Look:
    name: Promise | str  # short: filters, the dashboard's badges
    label: Promise | str  # long: 我的任务's groups, the task page, legends
    css: str  # sets --qd-c (static/css/app.css); with qd-colour-bar / qd-dot it draws the colour
    fill: str  # Excel cell fill (RGB hex)


LOOKS: dict[str, Look] = {
    Colour.RED: Look(_("Red"), _("Red · overdue"), "qd-colour-red", "F8D7DA"),
    Colour.YELLOW: Look(_("Yellow"), _("Yellow · due soon"), "qd-colour-yellow", "FFF3CD"),
    Colour.BLUE: Look(_("Blue"), _("Blue · open"), "qd-colour-blue", "CFE2FF"),
    Colour.GREEN: Look(_("Green"), _("Green · approved on time"), "qd-colour-green", "D1E7DD"),
    Colour.LATE: Look(_("Done late"), _("Done late"), "qd-colour-late", "E2E3E5"),
    Colour.NONE: Look("", "", "qd-colour-none", "FFFFFF"),
}


def look(colour: str) -> Look:
    """The colour's look; an unknown value looks like no colour."""
    return LOOKS.get(colour, LOOKS[Colour.NONE])

