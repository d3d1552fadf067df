"""The dashboard's numbers: every figure is ``tasks.figures.figure_q`` counted
with aggregate queries grouped by the org's ancestor path prefix, so the query
count does not depend on how many orgs or tasks there are, and each number is
exactly the count of the ``tasks:list`` link built next to it.

As of today or later the figures are summed from the task counts (tasks.tally: the same
``figure_within``, ``period_q`` and ``colour_expression`` apply to the counts as to tasks),
so the page reads a few thousand counts whether the subtree holds ten thousand tasks or ten
million; only the own tasks of the org and of its children are read as tasks. An as-of date
in the past is answered from the tasks."""

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple
from urllib.parse import quote_plus, urlencode

from django.db.models import CharField, Count, DateField, F, Q, Sum
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse

from accounts.models import OrgUnit
from tasks.figures import FIGURES, Window, figure_within, on_time_rate, period_q
from tasks import tally
from tasks.models import ItemTally, Task, TaskTally
from tasks.warnings import LOOKS, Colour, colour_expression

STEP = OrgUnit.steplen
COLOURS = Colour.ALL
COLOUR_LOOKS = [(f"colour_{c}", LOOKS[c]) for c in COLOURS]  # the page's colour badges: key, look


def window_for(year: int, quarter: int | None, month: int | None, as_of: date) -> Window:
    if month:
        start = date(year, month, 1)
        end = date(year, month, calendar.monthrange(year, month)[1])
    elif quarter:
        m = 3 * (quarter - 1) + 1
        start = date(year, m, 1)
        end = date(year, m + 2, calendar.monthrange(year, m + 2)[1])
    else:
        start, end = date(year, 1, 1), date(year, 12, 31)
    return Window(start=start, end=end, as_of=as_of)


def count_tasks(q: Q | None):
    return Count("pk") if q is None else Count("pk", filter=q)


def sum_counts(q: Q | None):
    return Sum("n") if q is None else Sum("n", filter=q)


def _counts(w: Window, measure=count_tasks) -> dict:
    """The FIGURES, in their order (due, done, on_time first), counted among the tasks of the
    window's period (``period_q``, the query's WHERE): ``measure`` of each filter — tasks
    counted, or counts (tasks.tally) summed."""
    return {key: measure(figure_within(key, w)) for key in FIGURES}


def _late_q(w: Window) -> Q:
    return figure_within("overdue_open", w) | figure_within("done_late", w)


def list_url(w: Window, org_code: str, **params) -> str:
    q = {"org": org_code, "due_from": w.start.isoformat(), "due_to": w.end.isoformat(), "as_of": w.as_of.isoformat(), **params}
    return reverse("tasks:list") + "?" + urlencode(q)


class _Links:
    """``list_url`` for many orgs at once: the path and the window part are encoded once per
    page, not once per figure and org (the same query strings, in the same order): an org's
    link to figure ``k`` is ``head(code) + tails[k]``, to its own tasks only (``own=1`` on the
    list, not its subtree) ``head(code) + own_tails[k]``."""

    def __init__(self, w: Window):
        self.base = reverse("tasks:list") + "?org="
        tail = "&" + urlencode({"due_from": w.start.isoformat(), "due_to": w.end.isoformat(), "as_of": w.as_of.isoformat()})
        self.tails = {k: tail + "&" + urlencode({"figure": k}) for k in FIGURES}
        self.tails.update({f"colour_{c}": tail + "&" + urlencode({"colour": c}) for c in COLOURS})
        self.own_tails = {k: "&own=1" + t for k, t in self.tails.items()}

    def head(self, org_code: str) -> str:
        return self.base + quote_plus(org_code)


@dataclass
class Row:
    """One line of the org table: ``own`` — the org's own tasks (本级), else its whole subtree."""

    org: OrgUnit
    counts: dict
    cells: dict  # each figure as the template's figure link draws it: {key: Cell(n, href)}
    own: bool = False

    @property
    def rate(self):
        return on_time_rate(self.counts["on_time"], self.counts["due"])


class Cell(NamedTuple):
    """One figure of a row: the count and the task list it opens."""

    n: int
    href: str


COLOUR_KEYS = tuple(f"colour_{c}" for c in COLOURS)
KEYS = (*FIGURES, *COLOUR_KEYS)


def _row(org, counts, links: _Links, keys, own: bool = False):
    counts = {k: counts.get(k, 0) for k in keys}
    head, tails = links.head(org.code), links.own_tails if own else links.tails
    return Row(org, counts, {k: Cell(n, head + tails[k]) for k, n in counts.items()}, own)


def _add(into: dict, key, values) -> None:
    acc = into.get(key)
    if acc is None:
        into[key] = [v or 0 for v in values]
    else:
        for i, v in enumerate(values):
            acc[i] += v or 0


def _one_colour(colour, n) -> tuple:
    """A group's colour counts: all ``n`` of the group's tasks are of ``colour``."""
    return tuple(n or 0 if c == colour else 0 for c in COLOURS)


TOTAL = None  # the colours' key when they are counted for the whole table only


@dataclass
class _Counted:
    """What compute sums: the FIGURES (in order) of each row by its path (a child's subtree, or
    root's own tasks), the colours by the same paths (``by_row``) or only for the whole of
    root's subtree (under ``TOTAL``), and the charts' months, categories and late items."""

    by_row: bool
    figures: dict = field(default_factory=dict)
    colours: dict = field(default_factory=dict)
    months: dict = field(default_factory=dict)
    cats: dict = field(default_factory=dict)
    late: dict = field(default_factory=dict)

    def add(self, path, colour, values, in_period: int) -> None:
        """A group of the tasks of row ``path``, all of ``colour`` (None: not evaluated)."""
        _add(self.figures, path, values)
        self.add_colour(path, colour, values[in_period])

    def add_colour(self, path, colour, n) -> None:
        if colour is not None:
            _add(self.colours, path if self.by_row else TOTAL, _one_colour(colour, n))

    def add_late(self, title, n) -> None:
        self.late[title] = self.late.get(title, 0) + n


def _from_tasks(root, w: Window, scope, charts: bool, row_colours: bool) -> _Counted:
    """The figures grouped by (child org, colour, month, category) in one scan of the tasks,
    the late items in another."""
    out = _Counted(by_row=row_colours)
    tasks = Task.objects.filter(period_q(w), org__in=scope, org__path__startswith=root.path)
    aggs = _counts(w)
    in_period = tuple(aggs).index("in_period")
    group = ("prefix", "colour", "m", "category") if charts else ("prefix", "colour")
    qs = tasks.annotate(prefix=Substr("org__path", 1, (root.depth + 1) * STEP), colour=colour_expression(w.as_of))
    if charts:
        qs = qs.annotate(m=TruncMonth("due_date"))
    for r in qs.values(*group).annotate(**aggs).order_by().values_list(*group, *aggs):
        values = r[len(group):]
        out.add(r[0], r[1], values, in_period)
        if charts:
            _add(out.months, r[2], values[:3])   # due, done, on_time are FIGURES' first three
            _add(out.cats, r[3], values[:3])
    if charts:
        for title, n in tasks.filter(_late_q(w)).values("title").annotate(n=Count("pk")).order_by().values_list("title", "n"):
            out.add_late(title, n)
    return out


def _from_counts(root, children, w: Window, charts: bool, row_colours: bool) -> _Counted:
    """The same from the counts (tasks.tally): below each child and below root, plus the own
    tasks of root and of each child read as tasks. Without ``row_colours`` the colour rule is
    evaluated only on root's rows — the counts below root and root's own tasks, which together
    are root's whole subtree, since a view scope holding root holds its subtree — and each
    child's rows are one group."""
    out = _Counted(by_row=row_colours)
    aggs = _counts(w, sum_counts)
    in_period = tuple(aggs).index("in_period")
    colour = colour_expression(w.as_of)
    at_root = charts or not row_colours  # the counts below root: its months, or the whole table's colours
    nodes = [c.path for c in children] + ([root.path] if at_root else [])
    group = ("node", "colour", "m") if charts else ("node", "colour")
    below = TaskTally.objects.filter(period_q(w), node__in=nodes)
    below = below.annotate(colour=colour if row_colours else tally.only_for(Q(node=root.path), colour, CharField()))
    if charts:  # the months of root's counts only: each child's row is one group per colour (or one)
        below = below.annotate(m=tally.only_for(Q(node=root.path), TruncMonth("due_date"), DateField()))
    for r in below.values(*group).annotate(**aggs).order_by().values_list(*group, *aggs):
        values = r[len(group):]
        if r[0] != root.path:
            out.add(r[0], r[1], values, in_period)
            continue
        if charts:
            _add(out.months, r[2], values[:3])
        if not row_colours:  # else the children's rows hold these tasks' colours
            out.add_colour(TOTAL, r[1], values[in_period])
    paths = {o.pk: o.path for o in (root, *children)}
    own_group = ("org_id", "colour", "m", "cat") if charts else ("org_id", "colour")
    own = Task.objects.filter(period_q(w), org_id__in=list(paths))
    own = own.annotate(colour=colour if row_colours else tally.only_for(Q(org_id=root.pk), colour, CharField()))
    if charts:  # months and categories of root's own tasks only, as above
        own = own.annotate(m=tally.only_for(Q(org_id=root.pk), TruncMonth("due_date"), DateField()),
                           cat=tally.only_for(Q(org_id=root.pk), F("category"), CharField()))
    for r in own.values(*own_group).annotate(**_counts(w)).order_by().values_list(*own_group, *aggs):
        values = r[len(own_group):]
        out.add(paths[r[0]], r[1], values, in_period)
        if charts and r[0] == root.pk:
            _add(out.months, r[2], values[:3])
            _add(out.cats, r[3], values[:3])
    if charts:
        by_item = (ItemTally.objects.filter(period_q(w), node=root.path).values("category", "title")
                   .annotate(due=sum_counts(figure_within("due", w)), done=sum_counts(figure_within("done", w)),
                             on_time=sum_counts(figure_within("on_time", w)), late=sum_counts(_late_q(w))).order_by())
        for r in by_item:
            _add(out.cats, r["category"], (r["due"], r["done"], r["on_time"]))
            if r["late"]:
                out.add_late(r["title"], r["late"])
        own_late = Task.objects.filter(period_q(w), _late_q(w), org_id=root.pk).values("title").annotate(n=Count("pk")).order_by()
        for title, n in own_late.values_list("title", "n"):
            out.add_late(title, n)
    return out


def compute(root: OrgUnit, w: Window, scope, charts: bool = True, row_colours: bool = False) -> dict:
    """Figures for ``root``'s subtree: ``own``, the row of root's own tasks (本级, always
    there: a village's table is that row), and ``rows``, one per child of ``root`` counting
    the child's whole subtree. ``own`` and ``rows`` add up to ``total``. With ``charts`` also
    the monthly trend over the window (due by as-of, done on time), the four categories and
    the ten most-often-late items. ``total`` also counts the warning colours (the number of
    the period's tasks of each colour; the colour is ``colour_expression``, the one rule,
    evaluated once per group); the rows count them too with ``row_colours`` (the API), not
    where they are not shown (the page's table). Every figure counts only tasks due in
    [start, end] and not cancelled (``period_q``): saying so in WHERE lets the database skip
    the other years instead of evaluating each FILTER on every row."""
    children = list(OrgUnit.objects.filter(path__startswith=root.path, depth=root.depth + 1, pk__in=scope.values("pk"))
                    .only("id", "name", "code", "kind", "path", "depth", "numchild").order_by("kind", "path"))
    if tally.exact_for(w.as_of):
        counted = _from_counts(root, children, w, charts, row_colours)
    else:
        counted = _from_tasks(root, w, scope, charts, row_colours)
    grouped = {p: dict(zip(FIGURES, v)) for p, v in counted.figures.items()}
    total = {k: sum(g[k] for g in grouped.values()) for k in FIGURES}  # every task falls in exactly one group
    colours = counted.colours.values()
    total.update(zip(COLOUR_KEYS, (sum(c) for c in zip(*colours)) if colours else (0 for _ in COLOURS)))
    if row_colours:
        for p, v in counted.colours.items():
            grouped[p].update(zip(COLOUR_KEYS, v))
    keys = KEYS if row_colours else tuple(FIGURES)
    links = _Links(w)
    rows = [_row(c, grouped.get(c.path, {}), links, keys) for c in children]
    own_row = _row(root, grouped.get(root.path, {}), links, keys, own=True)
    if not charts:
        return {"total": _row(root, total, links, KEYS), "rows": rows, "own": own_row}
    trend = [{"m": m, "due": v[0], "on_time": v[2]} for m, v in sorted(counted.months.items()) if v[0]]
    categories = [{"category": c, "due": v[0], "on_time": v[2]}
                  for c, v in sorted(counted.cats.items(), key=lambda kv: (kv[0] is None, kv[0] or "")) if v[0]]
    late_items = [{"title": t, "n": n} for t, n in sorted(counted.late.items(), key=lambda kv: (-kv[1], kv[0]))[:10]]
    return {
        "total": _row(root, total, links, KEYS), "rows": rows, "own": own_row, "trend": trend,
        "categories": categories, "late_items": late_items,
    }
