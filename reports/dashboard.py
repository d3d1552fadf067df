"""The dashboard's numbers: every figure is ``tasks.figures.figure_q`` counted
with aggregate queries grouped by the org's ancestor path prefix, so the query
count does not depend on how many orgs or tasks there are, and each number is
exactly the count of the ``tasks:list`` link built next to it."""

import calendar
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse

from accounts.models import OrgUnit
from tasks.figures import FIGURES, Window, figure_q, on_time_rate
from tasks.models import Task
from tasks.warnings import Colour, colour_q

STEP = OrgUnit.steplen
COLOURS = (Colour.RED, Colour.YELLOW, Colour.BLUE, Colour.GREEN, Colour.LATE)


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
    aggs = {key: Count("pk", filter=figure_q(key, w)) for key in FIGURES}
    span = Q(due_date__gte=w.start, due_date__lte=w.end)
    for c in COLOURS:
        aggs[f"colour_{c}"] = Count("pk", filter=span & colour_q(c, w.as_of))
    return aggs


def list_url(w: Window, org_code: str, **params) -> str:
    q = {"org": org_code, "due_from": w.start.isoformat(), "due_to": w.end.isoformat(), "as_of": w.as_of.isoformat(), **params}
    return reverse("tasks:list") + "?" + urlencode(q)


@dataclass
class Row:
    org: OrgUnit
    counts: dict
    links: dict = field(default_factory=dict)

    @property
    def rate(self):
        return on_time_rate(self.counts["on_time"], self.counts["due"])


def _row(org, counts, w):
    counts = {k: counts.get(k, 0) for k in [*FIGURES, *(f"colour_{c}" for c in COLOURS)]}
    links = {k: list_url(w, org.code, figure=k) for k in FIGURES}
    links.update({f"colour_{c}": list_url(w, org.code, colour=c) for c in COLOURS})
    return Row(org, counts, links)


def compute(root: OrgUnit, w: Window, scope, charts: bool = True) -> dict:
    """Figures for ``root``'s subtree, one row per child of ``root`` (plus root's own tasks)."""
    tasks = Task.objects.filter(org__in=scope, org__path__startswith=root.path)
    aggs = _counts(w)
    children = list(OrgUnit.objects.filter(path__startswith=root.path, depth=root.depth + 1, pk__in=scope.values("pk"))
                    .only("id", "name", "code", "kind", "path", "depth", "numchild").order_by("kind", "path"))
    grouped = {
        r.pop("prefix"): r
        for r in tasks.annotate(prefix=Substr("org__path", 1, (root.depth + 1) * STEP)).values("prefix").annotate(**aggs).order_by()
    }
    total = {k: sum(g[k] for g in grouped.values()) for k in aggs}  # every task falls in exactly one group
    rows = [_row(c, grouped.get(c.path, {}), w) for c in children]
    own = grouped.get(root.path)
    own_row = _row(root, own, w) if own and any(own.values()) else None
    if not charts:
        return {"total": _row(root, total, w), "rows": rows, "own": own_row}
    # monthly trend over the window (due by as-of, done on time)
    trend = list(
        tasks.filter(figure_q("due", w)).annotate(m=TruncMonth("due_date")).values("m")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=figure_q("on_time", w))).order_by("m")
    )
    categories = list(
        tasks.filter(figure_q("due", w)).values("category")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=figure_q("on_time", w))).order_by("category")
    )
    late_items = list(
        tasks.filter(figure_q("overdue_open", w) | figure_q("done_late", w)).values("title")
        .annotate(n=Count("pk")).order_by("-n", "title")[:10]
    )
    return {
        "total": _row(root, total, w), "rows": rows, "own": own_row, "trend": trend,
        "categories": categories, "late_items": late_items,
    }
