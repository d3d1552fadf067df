"""The ONE score computation (考核得分): the assessment page, the 考核结果 and
quarterly workbooks and the dashboard's 约谈 flags all call :func:`org_scores` /
:func:`interview_flags`, so one org has one score everywhere.

Rules (year Y, as-of date D, default today; parameters from
``ScoringRule`` for Y, defaults when absent):

* Counted: duty and integrity-risk-review tasks due in Y up to D, not cancelled.
* A task *earns* when it is approved by D (``approved_on <= D``): full points
  if completed on or before its due date (the same "on time" as the green
  colour of ``tasks.warnings``; a task returned and re-submitted counts by its
  final submission and final approval), ``late_share`` (a fraction, default 0) of its points if late.
  Anything else (open, awaiting review, approved after D) earns 0.
* Items with a partial rule ("每次 x 分，上限 y"): each counted task is worth x,
  the item's total earned and maximum are capped at y per org (per member for
  一岗双责).
* 一岗双责 tasks (one per member, ``assignee`` set) are scored per member; the
  org gets the members' *average* earned and average maximum.
* base = earned / maximum × 100 (None when nothing was due: shown "—").
* Adjustments (加分 / 扣分) in force and entered by D are summed per category and
  capped per category (``CategoryCap``; none = uncapped); any 一票否决 entry vetoes;
  each rectification measure (kind ``rectification``) approved in Y by D but
  completed late deducts ``measure_late_deduction``.
* score = max(0, base + bonus − deduction − measure deduction).
* grade by editable thresholds (好 / 较好 / 一般 / 差); 一票否决 → 差.
* Ranking within the level: towns among towns, villages within their town,
  departments among departments (vetoed orgs after all others; ties share a
  rank).

Bounded queries: five whatever the size of the county (published check, rule,
orgs, ONE aggregate over the year's tasks with the partial items' caps, sums
and member averages done in SQL, adjustments with their category caps).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import COUNTY_OR_ABOVE, OrgUnit, county_path
from responsibilities.models import Checklist, ChecklistItem
from tasks.models import Task

from .models import Adjustment, CategoryCap, Grade, ScoringRule

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


SCORED_KINDS = ("duty", "risk_review")

YEAR_NOT_PUBLISHED = _("The duty lists of %(year)s are not published: there is nothing to score yet.")


class YearNotPublished(ValidationError):
    pass


@dataclass
class OrgScore:
    org_id: int
    year: int
    earned: Decimal = ZERO
    maximum: Decimal = ZERO
    base: Decimal | None = None
    bonus: Decimal = ZERO
    deduction: Decimal = ZERO
    measure_deduction: Decimal = ZERO
    measures_late: int = 0
    veto: bool = False
    score: Decimal | None = None
    grade: str = ""
    rank: int | None = None
    peers: int = 0
    from_bottom: int | None = None
    due: int = 0
    on_time: int = 0
    late: int = 0
    not_done: int = 0
    members: int = 0
    group: tuple = field(default=())

    @property
    def grade_label(self):
        return Grade(self.grade).label if self.grade else "—"

    @property
    def in_bottom_two(self) -> bool:
        return self.from_bottom is not None and self.peers > 2 and self.from_bottom < 2


def _q2(d: Decimal) -> Decimal:
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def rule_for(year: int):
    return ScoringRule.objects.filter(year=year).first() or ScoringRule(year=year)


def check_published(year: int) -> None:
    if not Checklist.objects.filter(year=year, status=Checklist.Status.PUBLISHED).exists():
        raise YearNotPublished(str(YEAR_NOT_PUBLISHED) % {"year": year}, code="unpublished")


def _peer_group(kind: str, path: str, kind_at) -> tuple:
    """Towns rank among the towns of their county, departments among its departments, villages
    among the villages of their town."""
    if kind in ("town", "department"):
        return (kind, county_path(path, kind_at))
    if kind == "village":
        return ("village", path[:-OrgUnit.steplen])
    return ()


def _all_scores(year: int, as_of: date) -> dict[int, OrgScore]:
    check_published(year)                                                  # query 1
    rule = rule_for(year)                                                  # query 2
    start, end = date(year, 1, 1), date(year, 12, 31)
    until = min(end, as_of)
    share = rule.late_share

    orgs = list(OrgUnit.objects.filter(is_active=True).order_by().values_list("id", "kind", "path"))
    kind_at = {path: kind for _pk, kind, path in orgs}.get
    scores = {pk: OrgScore(org_id=pk, year=year, group=_peer_group(kind, path, kind_at))
              for pk, kind, path in orgs if kind not in COUNTY_OR_ABOVE}  # query 3

    item_ct = _item_ct()
    sql, params = _aggregate_sql(Task._meta.db_table, ChecklistItem._meta.db_table, Checklist._meta.db_table,
                                 item_ct, year, start, until, as_of, share)
    with connection.cursor() as cur:                                        # query 4: the one aggregate
        cur.execute(sql, params)
        rows = cur.fetchall()
    dec = _dec if connection.vendor == "sqlite" else _pass
    for org_id, n, n_on, n_late, n_measures, members, earned, maximum in rows:
        s = scores.get(org_id)
        if s is None:
            continue
        s.due, s.on_time, s.late = int(n), int(n_on), int(n_late)
        s.not_done = s.due - s.on_time - s.late
        s.measures_late = int(n_measures)
        s.members = int(members)
        s.earned, s.maximum = dec(earned), dec(maximum)
        if s.measures_late:
            s.measure_deduction = rule.measure_late_deduction * s.measures_late

    # in force and entered by D (local date): created before the next local midnight
    entered_before = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    adj, cap = Adjustment._meta.db_table, CategoryCap._meta.db_table
    with connection.cursor() as cur:                                        # query 5 (caps joined)
        cur.execute(
            f"SELECT a.org_id, a.kind, SUM(a.points), MAX(CASE WHEN a.veto THEN 1 ELSE 0 END), c.cap "
            f"FROM {adj} a LEFT JOIN {cap} c ON c.year = a.year AND c.category = a.category "
            f"WHERE a.year = %s AND a.is_active = %s AND a.created_at < %s "
            f"GROUP BY a.org_id, a.kind, a.category, c.cap",
            [year, True, connection.ops.adapt_datetimefield_value(entered_before)],
        )
        adjustments = cur.fetchall()
    bonus = Adjustment.Kind.BONUS
    for org_id, kind, total, veto, cap in adjustments:
        s = scores.get(org_id)
        if s is None:
            continue
        amount = dec(total)
        if cap is not None:
            amount = min(amount, dec(cap))
        if kind == bonus:
            s.bonus += amount
        else:
            s.deduction += amount
        s.veto = s.veto or bool(veto)

    grade = rule.grade
    for s in scores.values():
        s.earned, s.maximum = _q2(s.earned), _q2(s.maximum)
        if s.maximum > 0:
            s.base = _q2(s.earned / s.maximum * HUNDRED)
            s.score = max(ZERO, _q2(s.base + s.bonus - s.deduction - s.measure_deduction))
        s.grade = grade(s.score, s.veto) or ""
    _rank(scores.values())
    return scores


def _aggregate_sql(task_table, item_table, list_table, item_ct, year, start, until, as_of, share):
    """The one aggregate, caps and sums included, as parametrised SQL (the same on
    SQLite and PostgreSQL): one row per org with its counts, the number of 一岗双责
    members and its earned / maximum points (member blocks averaged).

    1. one scan of the year's tasks grouped by (org, member, item_key, state):
       COUNT and SUM(points) only (``item_key``: −1 a rectification measure
       closed late, the item's id for an item with a partial rule, else 0;
       ``state``: on time / late / not earned, evaluated once per task);
    2. per (org, member, item_key): the states pivoted into counts and sums;
    3. per (org, member): partial items capped (``min(cap, each × n)``), the
       rest summed, late work at ``share``;
    4. per org: the org's own block plus the average of its members' blocks."""
    item_key = (f"CASE WHEN t.kind = 'rectification' THEN -1 WHEN t.source_type_id = %s AND t.source_id IN ("
                f"SELECT pi.id FROM {item_table} pi INNER JOIN {list_table} pl ON pl.id = pi.checklist_id "
                f"WHERE pl.year = %s AND pi.partial_points_each IS NOT NULL AND pi.partial_points_cap IS NOT NULL"
                f") THEN t.source_id ELSE 0 END")
    params = [item_ct, year, as_of]
    kinds = ", ".join(f"'{k}'" for k in SCORED_KINDS)
    # st: 1 approved by D and completed on time, 2 approved by D and completed late, 0 anything else.
    # Computed once per task and grouped on, so the scan aggregates only COUNT and SUM. Counts are
    # cast back to INTEGER at each level (PostgreSQL's SUM of a bigint is a slow numeric).
    sql = f"""
    WITH g AS (
        SELECT t.org_id AS org_id, t.assignee_id AS member, {item_key} AS item_key,
               CASE WHEN t.status = 'approved' AND t.approved_on <= %s THEN
                    CASE WHEN t.completed_on <= t.due_date THEN 1 WHEN t.completed_on > t.due_date THEN 2 ELSE 0 END
               ELSE 0 END AS st,
               CAST(COUNT(*) AS INTEGER) AS n, SUM(t.points) AS pts
        FROM {task_table} t
        WHERE (t.kind IN ({kinds}) AND t.due_date >= %s AND t.due_date <= %s AND t.status <> 'cancelled')
           OR (t.kind = 'rectification' AND t.status = 'approved' AND t.approved_on >= %s AND t.approved_on <= %s
               AND t.completed_on > t.due_date)
        GROUP BY 1, 2, 3, 4
    ), h AS (
        SELECT g.org_id AS org_id, CASE WHEN g.item_key = -1 THEN NULL ELSE g.member END AS member,
               g.item_key AS item_key, CAST(SUM(g.n) AS INTEGER) AS n,
               CAST(SUM(CASE WHEN g.st = 1 THEN g.n ELSE 0 END) AS INTEGER) AS n_on,
               CAST(SUM(CASE WHEN g.st = 2 THEN g.n ELSE 0 END) AS INTEGER) AS n_late,
               SUM(g.pts) AS pts,
               SUM(CASE WHEN g.st = 1 THEN g.pts ELSE 0 END) AS pts_on,
               SUM(CASE WHEN g.st = 2 THEN g.pts ELSE 0 END) AS pts_late
        FROM g GROUP BY 1, 2, 3
    ), m AS (
        SELECT h.org_id AS org_id, h.member AS member,
               CAST(SUM(CASE WHEN h.item_key = -1 THEN 0 ELSE h.n END) AS INTEGER) AS n,
               CAST(SUM(CASE WHEN h.item_key = -1 THEN 0 ELSE h.n_on END) AS INTEGER) AS n_on,
               CAST(SUM(CASE WHEN h.item_key = -1 THEN 0 ELSE h.n_late END) AS INTEGER) AS n_late,
               CAST(SUM(CASE WHEN h.item_key = -1 THEN h.n ELSE 0 END) AS INTEGER) AS n_measures,
               SUM(CASE WHEN h.item_key = -1 THEN 0
                        WHEN h.item_key > 0 THEN
                            CASE WHEN i.partial_points_each * h.n_on + i.partial_points_each * %s * h.n_late
                                      < i.partial_points_cap
                                 THEN i.partial_points_each * h.n_on + i.partial_points_each * %s * h.n_late
                                 ELSE i.partial_points_cap END
                        ELSE h.pts_on + h.pts_late * %s END) AS earned,
               SUM(CASE WHEN h.item_key = -1 THEN 0
                        WHEN h.item_key > 0 THEN
                            CASE WHEN i.partial_points_each * h.n < i.partial_points_cap
                                 THEN i.partial_points_each * h.n ELSE i.partial_points_cap END
                        ELSE h.pts END) AS maximum
        FROM h LEFT JOIN {item_table} i ON i.id = h.item_key
        GROUP BY h.org_id, h.member
    )
    SELECT m.org_id, SUM(m.n), SUM(m.n_on), SUM(m.n_late), SUM(m.n_measures), COUNT(m.member),
           SUM(CASE WHEN m.member IS NULL THEN m.earned ELSE 0 END)
             + COALESCE(SUM(CASE WHEN m.member IS NULL THEN NULL ELSE m.earned END) * 1.0
                        / NULLIF(COUNT(m.member), 0), 0),
           SUM(CASE WHEN m.member IS NULL THEN m.maximum ELSE 0 END)
             + COALESCE(SUM(CASE WHEN m.member IS NULL THEN NULL ELSE m.maximum END) * 1.0
                        / NULLIF(COUNT(m.member), 0), 0)
    FROM m GROUP BY m.org_id
    """
    # placeholders in order: item_key, as_of (st), the year window, the measures' window, share ×3
    params = [*params, start, until, start, until, share, share, share]
    return sql, params


def _pass(x) -> Decimal:
    return ZERO if x is None else x


def _dec(x) -> Decimal:
    """A SUM from the database as an exact 2-place Decimal (SQLite returns floats)."""
    if x is None:
        return ZERO
    if isinstance(x, Decimal):
        return x
    return Decimal(repr(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def _rank(scores) -> None:
    groups = defaultdict(list)
    for s in scores:
        if s.group and s.score is not None:
            groups[s.group].append(s)
    for members in groups.values():
        keys = [(0 if s.veto else 1, s.score) for s in members]
        order = sorted(range(len(members)), key=keys.__getitem__, reverse=True)
        members = [members[k] for k in order]
        keys = [keys[k] for k in order]
        n = len(members)
        i = 0
        while i < n:  # ties share a rank; O(n log n)
            j = i
            while j < n and keys[j] == keys[i]:
                j += 1
            for s in members[i:j]:
                s.peers, s.rank, s.from_bottom = n, i + 1, n - j
            i = j


_CT = {}


def _item_ct() -> int:
    if "item" not in _CT:
        _CT["item"] = ContentType.objects.get_for_model(ChecklistItem).pk
    return _CT["item"]


def _ids(orgs) -> set[int]:
    out = set()
    for o in orgs:
        out.add(o if isinstance(o, int) else o.pk)
    return out


def org_scores(year: int, orgs, as_of: date | None = None) -> dict[int, OrgScore]:
    """Scores of ``orgs`` (OrgUnits, ids or a queryset) for ``year`` as of ``as_of``.

    Raises :class:`YearNotPublished` (a ValidationError with a Chinese message)
    when no duty list of the year is published. Orgs without anything due get
    an OrgScore with ``score`` None. Ranks are among all peers of the county,
    whichever orgs are asked for."""
    as_of = as_of or timezone.localdate()
    wanted = _ids(orgs)
    everything = _all_scores(year, as_of)
    return {pk: everything[pk] if pk in everything else OrgScore(org_id=pk, year=year) for pk in wanted}


def interview_flags(year: int, as_of: date | None = None, *, scores: dict[int, OrgScore] | None = None) -> set[int]:
    """Org ids in the bottom two of their level (groups of three or more) in
    ``year`` and in ``year - 1``: flagged for 约谈. Empty when either year is
    unpublished. ``scores``: the year's ``org_scores`` as of the same date, if
    already computed (the flags are then among those orgs)."""
    as_of = as_of or timezone.localdate()
    try:
        this = _all_scores(year, as_of) if scores is None else scores
        last = _all_scores(year - 1, as_of)
    except YearNotPublished:
        return set()
    return {pk for pk, s in this.items() if s.in_bottom_two and pk in last and last[pk].in_bottom_two}
