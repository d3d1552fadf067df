"""The quarterly workbook. Sheets are registered (``register_sheet``) so
inspections (整改台账) and assessment add theirs without reports importing
them; every sheet is written by the one style helper ``reports.xlsx``.

A builder is ``builder(ctx: Context) -> reports.xlsx.Table | None`` (None: no sheet)."""

import io
from dataclasses import dataclass
from datetime import date
from typing import Callable

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone, translation
from openpyxl import Workbook

from accounts.models import COUNTY_OR_ABOVE, OrgUnit
from accounts.scope import scope_roots
from assessment import scoring
from tasks.figures import Window, figure_q, window_q
from tasks.models import Task
from tasks.warnings import DONE, LOOKS, Colour

from . import xlsx
from .dashboard import window_for
from .xlsx import DATE, INT, PCT, TEXT, Column, Table

_SHEETS: dict[str, tuple[int, Callable]] = {}


def register_sheet(name: str, builder: Callable, order: int = 100) -> None:
    _SHEETS[name] = (order, builder)


@dataclass
class Context:
    user: object
    year: int
    quarter: int
    root: OrgUnit
    scope: object          # OrgUnit queryset the reader may see
    window: Window
    made_on: date

    def tasks(self):
        return Task.objects.filter(org__in=self.scope, org__path__startswith=self.root.path)


def title(year: int, quarter: int) -> str:
    county = settings.COUNTY_NAME
    return f"{county}{year}年第{quarter}季度全面从严治党主体责任落实情况统计表"


FIG = ("due", "on_time", "done_late", "done")


def _aggs(w):
    return {k: Count("pk", filter=figure_q(k, w)) for k in FIG}


def _figures(counts):
    due, on_time, late, done = (counts.get(k, 0) for k in FIG)
    return [due, on_time, late, due - done, (done / due) if due else None]


def kind_label(org) -> str:
    """The org's kind as the Chinese workbook names it (OrgKind's label in the site's language,
    whatever the language of the request that asked for the file)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(org.get_kind_display())


def summary(ctx: Context) -> Table:
    """汇总: one row per town / department (rolled up), its villages listed under it — under a
    市 / province, one row per county (and department), its towns under it."""
    step = OrgUnit.steplen
    root = ctx.root
    top = (list(ctx.scope.filter(path__startswith=root.path, depth=root.depth + 1).order_by("kind", "path"))
           if root.kind in COUNTY_OR_ABOVE else [root])
    top_depth = top[0].depth if top else root.depth + 1
    below = list(ctx.scope.filter(path__startswith=root.path, depth=top_depth + 1).order_by("path"))
    tasks = ctx.tasks().filter(window_q(ctx.window))  # every figure counts inside it: the other years are skipped
    aggs = _aggs(ctx.window)
    # one scan grouped by the level below the top; each top org's figures are the sum of its prefixes
    by_sub = {r.pop("p"): r for r in tasks.annotate(p=Substr("org__path", 1, (top_depth + 1) * step)).values("p").annotate(**aggs).order_by()}
    by_top, cut = {}, top_depth * step
    for p, counts in by_sub.items():
        acc = by_top.setdefault(p[:cut], dict.fromkeys(counts, 0))
        for k, v in counts.items():
            acc[k] += v
    scores = _scores(ctx, [*top, *below])
    columns = [Column("单位", TEXT, 24), Column("类别", TEXT, 12), Column("应完成", INT, 9), Column("按时完成", INT, 9),
               Column("逾期完成", INT, 9), Column("未完成", INT, 9), Column("完成率", PCT, 9)]
    if scores is not None:
        columns.append(Column("得分", xlsx.DEC, 9))

    def line(org, counts, indent=""):
        row = [indent + org.name, kind_label(org), *_figures(counts)]
        if scores is not None:
            s = scores.get(org.pk)
            row.append(getattr(s, "score", None))
        return row

    rows = []
    for t in top:
        rows.append(line(t, by_top.get(t.path, {})))
        for v in below:
            if v.path.startswith(t.path):
                rows.append(line(v, by_sub.get(v.path, {}), "　　"))
    return Table(columns, rows)


def _scores(ctx, orgs):
    """得分 from the one scoring function; an empty column while no duty list of the year is
    published (nothing to score yet). Any other error is a bug and is raised."""
    try:
        return scoring.org_scores(ctx.year, orgs, as_of=ctx.made_on)
    except scoring.YearNotPublished:
        return {}


DONE_LATE, OVERDUE_OPEN = "逾期完成", "逾期未完成"
STATE_FILLS = {DONE_LATE: LOOKS[Colour.LATE].fill, OVERDUE_OPEN: LOOKS[Colour.RED].fill}  # as the warning colours


def overdue(ctx: Context) -> Table:
    """逾期明细: every task overdue as of the report date (open or done late)."""
    w = ctx.window
    qs = (ctx.tasks().filter(figure_q("overdue_open", w) | figure_q("done_late", w))
          .order_by("org__path", "due_date", "id")
          .values_list("org__name", "title", "bearer", "due_date", "completed_on", "status", "note", named=True))
    bearers = {k: str(v) for k, v in Task._meta.get_field("bearer").choices}
    as_of = w.as_of
    done_by = DONE.test(as_of)  # done by the report date, as the warning colour says it

    def rows():
        for t in qs.iterator(chunk_size=2000):
            done = done_by(t)
            yield [t.org__name, t.title, bearers.get(t.bearer, t.bearer), t.due_date, t.completed_on if done else None,
                   ((t.completed_on if done else as_of) - t.due_date).days, DONE_LATE if done else OVERDUE_OPEN, t.note]

    return Table([Column("单位", TEXT, 18), Column("事项", TEXT, 40), Column("责任主体", TEXT, 12), Column("截止日期", DATE, 12),
                  Column("完成日期", DATE, 12), Column("逾期天数", INT, 9), Column("状态", TEXT, 11, fills=STATE_FILLS), Column("最近记录", TEXT, 40)], rows())


def items(ctx: Context) -> Table:
    """事项完成情况: each item across all orgs in scope."""
    from responsibilities.choices import Category

    cats = dict(Category.choices)
    qs = (ctx.tasks().filter(window_q(ctx.window)).values("source_type_id", "source_id", "title", "category")
          .annotate(orgs=Count("org", distinct=True), **_aggs(ctx.window)).order_by("category", "title", "source_id"))
    rows = [[r["title"], str(cats.get(r["category"], r["category"])), r["orgs"], *_figures(r)] for r in qs]
    return Table([Column("事项", TEXT, 44), Column("责任类别", TEXT, 12), Column("单位数", INT, 8), Column("应完成", INT, 9),
                  Column("按时完成", INT, 9), Column("逾期完成", INT, 9), Column("未完成", INT, 9), Column("完成率", PCT, 9)], rows)


register_sheet("汇总", summary, order=10)
register_sheet("逾期明细", overdue, order=20)
register_sheet("事项完成情况", items, order=30)


def build_quarterly(user, year: int, quarter: int, org: OrgUnit | None = None) -> bytes:
    """The quarterly workbook for ``user``'s scope (or everything when user is None), under ``org``."""
    scope = OrgUnit.objects.restrict(user, "view") if user is not None else OrgUnit.objects.all()
    if org is None:
        roots = scope_roots(user, "view") if user is not None else list(OrgUnit.objects.get_root_nodes())
        if not roots:
            raise ValueError("no organisation in scope")
        org = roots[0]
    made_on = timezone.localdate()
    ctx = Context(user, year, quarter, org, scope, window_for(year, quarter, None, made_on), made_on)
    unit = xlsx.unit_of(org)
    wb = Workbook(write_only=True)
    for name, (_order, builder) in sorted(_SHEETS.items(), key=lambda kv: (kv[1][0], kv[0])):
        table = builder(ctx)
        if table is None:
            continue
        xlsx.write_table(wb.create_sheet(name[:31]), title=title(year, quarter), unit=unit, made_on=made_on, table=table)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
