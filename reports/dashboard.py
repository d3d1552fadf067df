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
from dataclasses import dataclass
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
    page, not 14 times per org (the same query strings, in the same order). ``own``: the
    org's own tasks only (``own=1`` on the list), not its subtree."""

    def __init__(self, w: Window):
        self.base = reverse("tasks:list") + "?org="
        tail = "&" + urlencode({"due_from": w.start.isoformat(), "due_to": w.end.isoformat(), "as_of": w.as_of.isoformat()})
        self.tails = {k: tail + "&" + urlencode({"figure": k}) for k in FIGURES}
        self.tails.update({f"colour_{c}": tail + "&" + urlencode({"colour": c}) for c in COLOURS})
        self.own_tails = {k: "&own=1" + t for k, t in self.tails.items()}

    def __call__(self, org_code: str, own: bool = False) -> dict:
        head = self.base + quote_plus(org_code)
        return {k: head + t for k, t in (self.own_tails if own else self.tails).items()}


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


def _row(org, counts, links: _Links, own: bool = False):
    counts = {k: counts.get(k, 0) for k in KEYS}
    hrefs = links(org.code, own)
    return Row(org, counts, {k: Cell(n, hrefs[k]) for k, n in counts.items()}, own)


def _add(into: dict, key, values) -> None:
    acc = into.get(key)
    if acc is None:
        into[key] = [v or 0 for v in values]
    else:
        for i, v in enumerate(values):
            acc[i] += v or 0


def _with_colours(values, colour, in_period: int) -> tuple:
    """A group's figures and its colour counts: all of the group's tasks are of ``colour``."""
    return (*values, *(values[in_period] or 0 if c == colour else 0 for c in COLOURS))


def _from_tasks(root, w: Window, scope, charts: bool):
    """(by child path, by month, by category, late titles) counted over the tasks: the figures
    grouped by (child org, colour, month, category) in one scan, the late items in another."""
    tasks = Task.objects.filter(period_q(w), org__in=scope, org__path__startswith=root.path)
    aggs = _counts(w)
    in_period = tuple(aggs).index("in_period")
    group = ("prefix", "colour", "m", "category") if charts else ("prefix", "colour")
    qs = tasks.annotate(prefix=Substr("org__path", 1, (root.depth + 1) * STEP), colour=colour_expression(w.as_of))
    if charts:
        qs = qs.annotate(m=TruncMonth("due_date"))
    grouped, months, cats = {}, {}, {}
    for r in qs.values(*group).annotate(**aggs).order_by().values_list(*group, *aggs):
        values = r[len(group):]
        _add(grouped, r[0], _with_colours(values, r[1], in_period))
        if charts:
            _add(months, r[2], values[:3])   # due, done, on_time are FIGURES' first three
            _add(cats, r[3], values[:3])
    late = {}
    if charts:
        late = dict(tasks.filter(_late_q(w)).values("title").annotate(n=Count("pk")).order_by().values_list("title", "n"))
    return grouped, months, cats, late


def _from_counts(root, children, w: Window, charts: bool):
    """The same four from the counts (tasks.tally): below each child and below root, plus
    the own tasks of root and of each child read as tasks."""
    aggs = _counts(w, sum_counts)
    in_period = tuple(aggs).index("in_period")
    colour = colour_expression(w.as_of)
    nodes = [c.path for c in children] + ([root.path] if charts else [])
    group = ("node", "colour", "m") if charts else ("node", "colour")
    below = TaskTally.objects.filter(period_q(w), node__in=nodes).annotate(colour=colour)
    if charts:  # the months of root's counts only: each child's row is one group per colour
        below = below.annotate(m=tally.only_for(Q(node=root.path), TruncMonth("due_date"), DateField()))
    grouped, months, cats = {}, {}, {}
    for r in below.values(*group).annotate(**aggs).order_by().values_list(*group, *aggs):
        values = r[len(group):]
        if r[0] == root.path:
            _add(months, r[2], values[:3])
        else:
            _add(grouped, r[0], _with_colours(values, r[1], in_period))
    paths = {o.pk: o.path for o in (root, *children)}
    own_group = ("org_id", "colour", "m", "cat") if charts else ("org_id", "colour")
    own = Task.objects.filter(period_q(w), org_id__in=list(paths)).annotate(colour=colour)
    if charts:  # months and categories of root's own tasks only, as above
        own = own.annotate(m=tally.only_for(Q(org_id=root.pk), TruncMonth("due_date"), DateField()),
                           cat=tally.only_for(Q(org_id=root.pk), F("category"), CharField()))
    for r in own.values(*own_group).annotate(**_counts(w)).order_by().values_list(*own_group, *aggs):
        values = r[len(own_group):]
        _add(grouped, paths[r[0]], _with_colours(values, r[1], in_period))
        if charts and r[0] == root.pk:
            _add(months, r[2], values[:3])
            _add(cats, r[3], values[:3])
    late = {}
    if charts:
        by_item = (ItemTally.objects.filter(period_q(w), node=root.path).values("category", "title")
                   .annotate(due=sum_counts(figure_within("due", w)), done=sum_counts(figure_within("done", w)),
                             on_time=sum_counts(figure_within("on_time", w)), late=sum_counts(_late_q(w))).order_by())
        for r in by_item:
            _add(cats, r["category"], (r["due"], r["done"], r["on_time"]))
            if r["late"]:
                late[r["title"]] = late.get(r["title"], 0) + r["late"]
        own_late = Task.objects.filter(period_q(w), _late_q(w), org_id=root.pk).values("title").annotate(n=Count("pk")).order_by()
        for title, n in own_late.values_list("title", "n"):
            late[title] = late.get(title, 0) + n
    return grouped, months, cats, late


def compute(root: OrgUnit, w: Window, scope, charts: bool = True) -> dict:
    """Figures for ``root``'s subtree: ``own``, the row of root's own tasks (本级, always
    there: a village's table is that row), and ``rows``, one per child of ``root`` counting
    the child's whole subtree. ``own`` and ``rows`` add up to ``total``. With ``charts`` also
    the monthly trend over the window (due by as-of, done on time), the four categories and
    the ten most-often-late items. A colour's count is the number of the period's tasks in its
    group (the colour is ``colour_expression``, the one rule, evaluated once per group). Every
    figure counts only tasks due in [start, end] and not cancelled (``period_q``): saying so in
    WHERE lets the database skip the other years instead of evaluating each FILTER on every row."""
    children = list(OrgUnit.objects.filter(path__startswith=root.path, depth=root.depth + 1, pk__in=scope.values("pk"))
                    .only("id", "name", "code", "kind", "path", "depth", "numchild").order_by("kind", "path"))
    if tally.exact_for(w.as_of):
        grouped, months, cats, late = _from_counts(root, children, w, charts)
    else:
        grouped, months, cats, late = _from_tasks(root, w, scope, charts)
    names = KEYS
    grouped = {p: dict(zip(names, v)) for p, v in grouped.items()}
    total = {k: sum(g[k] for g in grouped.values()) for k in names}  # every task falls in exactly one group
    links = _Links(w)
    rows = [_row(c, grouped.get(c.path, {}), links) for c in children]
    own_row = _row(root, grouped.get(root.path, {}), links, own=True)
    if not charts:
        return {"total": _row(root, total, links), "rows": rows, "own": own_row}
    trend = [{"m": m, "due": v[0], "on_time": v[2]} for m, v in sorted(months.items()) if v[0]]
    categories = [{"category": c, "due": v[0], "on_time": v[2]} for c, v in sorted(cats.items(), key=lambda kv: (kv[0] is None, kv[0] or "")) if v[0]]
    late_items = [{"title": t, "n": n} for t, n in sorted(late.items(), key=lambda kv: (-kv[1], kv[0]))[:10]]
    return {
        "total": _row(root, total, links), "rows": rows, "own": own_row, "trend": trend,
        "categories": categories, "late_items": late_items,
    }
