"""The dashboard's numbers: every figure is ``tasks.figures.figure_q`` counted
with aggregate queries grouped by the org's ancestor path prefix, so the query
count does not depend on how many orgs or tasks there are, and each number is
exactly the count of the ``tasks:list`` link built next to it."""

import calendar
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote_plus, urlencode

from django.db.models import Count
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse

from accounts.models import OrgUnit
from tasks.figures import FIGURES, Window, figure_within, on_time_rate, period_q
from tasks.models import Task
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


def _counts(w: Window) -> dict:
    """The FIGURES, in their order (due, done, on_time first), counted among the tasks of the
    window's period (``period_q``, the query's WHERE)."""
    within = {key: figure_within(key, w) for key in FIGURES}
    return {key: Count("pk") if q is None else Count("pk", filter=q) for key, q in within.items()}


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
    links: dict = field(default_factory=dict)
    own: bool = False

    @property
    def rate(self):
        return on_time_rate(self.counts["on_time"], self.counts["due"])


COLOUR_KEYS = tuple(f"colour_{c}" for c in COLOURS)
KEYS = (*FIGURES, *COLOUR_KEYS)


def _row(org, counts, links: _Links, own: bool = False):
    return Row(org, {k: counts.get(k, 0) for k in KEYS}, links(org.code, own), own)


def compute(root: OrgUnit, w: Window, scope, charts: bool = True) -> dict:
    """Figures for ``root``'s subtree: ``own``, the row of root's own tasks (本级, always
    there: a village's table is that row), and ``rows``, one per child of ``root`` counting
    the child's whole subtree. ``own`` and ``rows`` add up to ``total``.

    Two task queries in all: the figures grouped by (child org, colour, month, category) —
    summed here into the org table, the total, the colour badges, the monthly trend and the
    categories, one scan instead of four — and the most-often-late items. A colour's count is
    the number of the period's tasks in its group (the colour is ``colour_expression``, the one
    rule, evaluated once per task). ``charts=False``: only the org table, grouped by child org
    and colour."""
    # Every figure and colour counts only tasks due in [start, end] and not cancelled: saying so in
    # WHERE lets the database skip the other years instead of evaluating each FILTER on every task.
    tasks = Task.objects.filter(period_q(w), org__in=scope, org__path__startswith=root.path)
    aggs = _counts(w)
    children = list(OrgUnit.objects.filter(path__startswith=root.path, depth=root.depth + 1, pk__in=scope.values("pk"))
                    .only("id", "name", "code", "kind", "path", "depth", "numchild").order_by("kind", "path"))
    prefix = Substr("org__path", 1, (root.depth + 1) * STEP)
    group = ("prefix", "colour", "m", "category") if charts else ("prefix", "colour")
    qs = tasks.annotate(prefix=prefix, colour=colour_expression(w.as_of))
    if charts:
        qs = qs.annotate(m=TruncMonth("due_date"))
    figures = tuple(aggs)
    in_period = figures.index("in_period")  # what the page's WHERE selects: every task of the period
    names = (*figures, *COLOUR_KEYS)
    grouped, months, cats = {}, {}, {}

    def add(into, key, values):
        acc = into.get(key)
        if acc is None:
            into[key] = list(values)
        else:
            for i, v in enumerate(values):
                acc[i] += v

    for r in qs.values(*group).annotate(**aggs).order_by().values_list(*group, *figures):
        values = r[len(group):]
        colour = r[1]
        add(grouped, r[0], (*values, *(values[in_period] if c == colour else 0 for c in COLOURS)))
        if charts:
            add(months, r[2], values[:3])   # due, done, on_time are FIGURES' first three
            add(cats, r[3], values[:3])
    grouped = {p: dict(zip(names, v)) for p, v in grouped.items()}
    total = {k: sum(g[k] for g in grouped.values()) for k in names}  # every task falls in exactly one group
    links = _Links(w)
    rows = [_row(c, grouped.get(c.path, {}), links) for c in children]
    own_row = _row(root, grouped.get(root.path, {}), links, own=True)
    if not charts:
        return {"total": _row(root, total, links), "rows": rows, "own": own_row}
    # monthly trend over the window (due by as-of, done on time), and the four categories
    trend = [{"m": m, "due": v[0], "on_time": v[2]} for m, v in sorted(months.items()) if v[0]]
    categories = [{"category": c, "due": v[0], "on_time": v[2]} for c, v in sorted(cats.items(), key=lambda kv: (kv[0] is None, kv[0] or "")) if v[0]]
    late_items = list(
        tasks.filter(figure_within("overdue_open", w) | figure_within("done_late", w)).values("title")
        .annotate(n=Count("pk")).order_by("-n", "title")[:10]
    )
    return {
        "total": _row(root, total, links), "rows": rows, "own": own_row, "trend": trend,
        "categories": categories, "late_items": late_items,
    }
