"""The ONE score computation (考核得分): quarterly report, assessment page and
workbook all call :func:`org_scores`, so one org has one score everywhere.

Rules (year Y, as-of date D, default today; parameters from
``assessment.ScoringRule`` for Y, defaults when absent):

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

Bounded queries: seven whatever the size of the county (published check, rule,
caps, orgs, partial items, ONE GROUP BY over the year's tasks, adjustments).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, DecimalField, F, IntegerField, Max, Q, Sum, Value, When
from django.utils import timezone

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


SCORED_KINDS = ("duty", "risk_review")


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
        from assessment.models import Grade

        return Grade(self.grade).label if self.grade else "—"

    @property
    def in_bottom_two(self) -> bool:
        return self.from_bottom is not None and self.peers > 2 and self.from_bottom < 2


def _q2(d: Decimal) -> Decimal:
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def rule_for(year: int):
    from assessment.models import ScoringRule

    return ScoringRule.objects.filter(year=year).first() or ScoringRule(year=year)


def check_published(year: int) -> None:
    from responsibilities.models import Checklist

    if not Checklist.objects.filter(year=year, status=Checklist.Status.PUBLISHED).exists():
        from assessment.messages import YEAR_NOT_PUBLISHED

        raise YearNotPublished(str(YEAR_NOT_PUBLISHED) % {"year": year}, code="unpublished")


def _peer_group(kind: str, path: str, steplen: int) -> tuple:
    if kind == "town":
        return ("town",)
    if kind == "department":
        return ("department",)
    if kind == "village":
        return ("village", path[:-steplen])
    return ()


def _grade(score: Decimal | None, veto: bool, rule) -> str:
    return rule.grade(score, veto) or ""


def _all_scores(year: int, as_of: date) -> dict[int, OrgScore]:
    from accounts.models import OrgUnit
    from assessment.models import Adjustment, CategoryCap
    from responsibilities.models import ChecklistItem
    from tasks.models import Task

    check_published(year)                                                  # query 1
    rule = rule_for(year)                                                  # query 2
    start, end = date(year, 1, 1), date(year, 12, 31)
    until = min(end, as_of)
    share = rule.late_share
    caps = dict(CategoryCap.objects.filter(year=year).values_list("category", "cap"))  # query 2b

    orgs = OrgUnit.objects.filter(is_active=True).exclude(kind="county").order_by().values_list("id", "kind", "path")
    scores = {pk: OrgScore(org_id=pk, year=year, group=_peer_group(kind, path, OrgUnit.steplen))
              for pk, kind, path in orgs}                                  # query 3

    partial = {                                                             # query 4
        i["pk"]: (i["partial_points_each"], i["partial_points_cap"])
        for i in ChecklistItem.objects.filter(checklist__year=year, partial_points_each__isnull=False,
                                              partial_points_cap__isnull=False)
        .values("pk", "partial_points_each", "partial_points_cap")
    }
    item_ct = _item_ct()
    window = Q(due_date__gte=start, due_date__lte=until)
    counted = Q(kind__in=SCORED_KINDS) & window & ~Q(status="cancelled")
    approved = Q(status="approved", approved_on__lte=as_of)  # approval follows completion
    on_time = approved & Q(completed_on__lte=F("due_date"))
    late = approved & Q(completed_on__gt=F("due_date"))
    # a rectification measure closed (approved) in the year by D, completed after its due date:
    # its rows form their own groups (item_key −1), so the sums below need no extra filter
    measure_late = Q(kind="rectification", status="approved", approved_on__gte=start, approved_on__lte=until,
                     completed_on__gt=F("due_date"))
    item_key = Case(
        When(kind="rectification", then=Value(-1)),
        When(source_type_id=item_ct, source_id__in=list(partial) or [0], then=F("source_id")),
        default=Value(0), output_field=IntegerField(),
    )
    dec = DecimalField(max_digits=12, decimal_places=2)
    qs = (Task.objects.filter(counted | measure_late).annotate(item_key=item_key).order_by()
          .values("org_id", "assignee_id", "item_key")
          .annotate(n=Count("id"), pts=Sum("points", output_field=dec),
                    n_on=Count("id", filter=on_time), pts_on=Sum("points", filter=on_time, output_field=dec),
                    n_late=Count("id", filter=late), pts_late=Sum("points", filter=late, output_field=dec)))
    # (org, member or None) → [earned, maximum]
    blocks = defaultdict(lambda: [ZERO, ZERO])
    for r in _fetch(qs):                                                    # query 5: the one aggregate
        s = scores.get(r["org_id"])
        if s is None:
            continue
        if r["item_key"] == -1:
            s.measures_late += r["n"]
            s.measure_deduction = rule.measure_late_deduction * s.measures_late
            continue
        s.due += r["n"]
        s.on_time += r["n_on"]
        s.late += r["n_late"]
        s.not_done += r["n"] - r["n_on"] - r["n_late"]
        if r["item_key"]:
            each, cap = partial[r["item_key"]]
            earned = min(cap, each * r["n_on"] + each * share * r["n_late"])
            maximum = min(cap, each * r["n"])
        else:
            earned = _dec(r["pts_on"]) + _dec(r["pts_late"]) * share
            maximum = _dec(r["pts"])
        b = blocks[(r["org_id"], r["assignee_id"])]
        b[0] += earned
        b[1] += maximum

    members = defaultdict(list)
    for (org_id, member), (earned, maximum) in blocks.items():
        if member is None:
            scores[org_id].earned += earned
            scores[org_id].maximum += maximum
        else:
            members[org_id].append((earned, maximum))
    for org_id, per in members.items():
        n = Decimal(len(per))
        scores[org_id].members = len(per)
        scores[org_id].earned += sum(e for e, _m in per) / n
        scores[org_id].maximum += sum(m for _e, m in per) / n

    adjustments = (Adjustment.objects.filter(year=year, is_active=True, created_at__date__lte=as_of)
                   .order_by().values("org_id", "kind", "category")
                   .annotate(total=Sum("points"), veto=Max(Case(When(veto=True, then=1), default=0))))
    for r in adjustments:                                                   # query 6
        s = scores.get(r["org_id"])
        if s is None:
            continue
        amount = r["total"] or ZERO
        if r["category"] in caps:
            amount = min(amount, caps[r["category"]])
        if r["kind"] == Adjustment.Kind.BONUS:
            s.bonus += amount
        else:
            s.deduction += amount
        s.veto = s.veto or bool(r["veto"])

    for s in scores.values():
        s.earned, s.maximum = _q2(s.earned), _q2(s.maximum)
        if s.maximum > 0:
            s.base = _q2(s.earned / s.maximum * HUNDRED)
            s.score = max(ZERO, _q2(s.base + s.bonus - s.deduction - s.measure_deduction))
        s.grade = _grade(s.score, s.veto, rule)
    _rank(scores.values())
    return scores


def _dec(x) -> Decimal:
    """A SUM from the database as an exact 2-place Decimal (SQLite returns floats)."""
    if x is None:
        return ZERO
    if isinstance(x, Decimal):
        return x
    return Decimal(repr(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def _fetch(qs):
    """Run a ``values()`` aggregate without Django's per-row converters (they cost
    more than the query itself on SQLite); rows as dicts by column name."""
    from django.db import connections

    compiler = qs.query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()
    with connections[qs.db].cursor() as cur:
        cur.execute(sql, params)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _rank(scores) -> None:
    groups = defaultdict(list)
    for s in scores:
        if s.group and s.score is not None:
            groups[s.group].append(s)
    for members in groups.values():
        key = lambda s: (0 if s.veto else 1, s.score)  # noqa: E731
        members.sort(key=key, reverse=True)
        n = len(members)
        i = 0
        while i < n:  # ties share a rank; O(n log n)
            j = i
            while j < n and key(members[j]) == key(members[i]):
                j += 1
            for s in members[i:j]:
                s.peers, s.rank, s.from_bottom = n, i + 1, n - j
            i = j


_CT = {}


def _item_ct() -> int:
    if "item" not in _CT:
        from django.contrib.contenttypes.models import ContentType

        from responsibilities.models import ChecklistItem

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
    return {pk: everything.get(pk, OrgScore(org_id=pk, year=year)) for pk in wanted}


def interview_flags(year: int, as_of: date | None = None) -> set[int]:
    """Org ids in the bottom two of their level (groups of three or more) in
    ``year`` and in ``year - 1``: flagged for 约谈. Empty when either year is
    unpublished."""
    as_of = as_of or timezone.localdate()
    try:
        this = _all_scores(year, as_of)
        last = _all_scores(year - 1, as_of)
    except YearNotPublished:
        return set()
    return {pk for pk, s in this.items() if s.in_bottom_two and pk in last and last[pk].in_bottom_two}
