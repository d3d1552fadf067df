"""Duty lists → dated tasks, exactly once.

``generate_for_checklist`` turns one published list into the tasks of its year:
for every active org of the list's level, every active item (not 事件) and
every period its frequency gives (``tasks.periods``). Member lists (一岗双责)
give one task per current 班子成员 of the org (``assignee`` set); every other
bearer gives one task per org (``assignee`` NULL).

Exactly once: the partial unique constraints on Task (org, source, period_start
[, assignee]) and ``tasks.services.create_tasks``, which skips conflicting keys;
keys already in the database are filtered out first, so a second run reads one list of keys and
inserts nothing. Any number of runs, retries or workers give the same rows.

Which periods an org owes (unless ``include_past``): those whose due date is on
or after the day the obligation began — the latest of the list's publication,
the org's creation, the item's ``effective_from`` (added to a published list,
switched on again), the end of an opt-out and, for 一岗双责, the member's start
date. So a list published in November gets no Q1–Q3 tasks (the preview names
them), an org created mid-year gets its remaining periods, a late beat run
still catches up, and nothing is created retroactively overdue.
``include_past=True`` (demo, ``generate_tasks --include-past``) ignores that
and creates every period of the year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, OrgUnit, county_path
from accounts.roles import Role
from responsibilities.choices import Bearer, Frequency
from responsibilities.holidays import holiday_pairs
from responsibilities.models import Checklist, ChecklistItem, ItemOptOut

from . import services
from .models import Task
from .periods import DueRuleError, Period, periods_for


def _local(dt) -> date | None:
    return timezone.localdate(dt) if dt else None


def snapshot(item: ChecklistItem) -> dict:
    """The item text a task keeps (past periods keep what they were issued with)."""
    return {
        "title": item.title,
        "requirement": item.requirement,
        "evidence_hint": item.evidence_hint,
        "category": item.category,
        "frequency": item.frequency,
        "points": item.points,
    }


def item_periods(item: ChecklistItem, year: int, holidays=None) -> list[Period]:
    """Periods of ``item`` in ``year``; an invalid rule gives none (it is refused
    at save time; a holiday calendar removed later must not crash the beat)."""
    this_year, next_year = holidays if holidays is not None else holiday_pairs(year)
    try:
        return periods_for(
            item.frequency, year, due_rule=item.due_rule, due_days=item.due_days,
            due_month_day=item.due_month_day, holidays=this_year, next_year_holidays=next_year,
        )
    except DueRuleError:
        return []


@dataclass
class OrgTree:
    """Id and kind of every org by path, to find an org's review org without queries."""

    by_path: dict[str, tuple[int, str]]

    @classmethod
    def load(cls) -> OrgTree:
        return cls({path: (pk, kind) for path, pk, kind in OrgUnit.objects.order_by().values_list("path", "id", "kind")})

    def review_org_id_at(self, path: str, review_by: str, own: tuple[int, str] | None = None) -> int:
        """The org reviewing the tasks of the org at ``path`` (``own``: its id and kind when the
        tree may not hold it yet): for a list reviewed by the county, the org's county
        (accounts county_path); otherwise its parent — a root reviews its own."""
        own = own or self.by_path[path]
        if review_by == Checklist.ReviewBy.COUNTY:
            county = county_path(path, lambda p: own[1] if p == path else self.by_path.get(p, (None, None))[1])
            return self.by_path.get(county, own)[0]
        return self.by_path.get(path[: -OrgUnit.steplen], own)[0]

    def review_org_id(self, org: OrgUnit, review_by: str) -> int:
        return self.review_org_id_at(org.path, review_by, (org.pk, org.kind))


def bearer_targets(checklist: Checklist, orgs: list[OrgUnit], today: date) -> list[tuple[OrgUnit, int | None, date | None]]:
    """(org, assignee id, obligation start) for each bearer of the list in ``orgs``."""
    if checklist.bearer != Bearer.MEMBER:
        return [(org, None, None) for org in orgs]
    by_id = {o.pk: o for o in orgs}
    starts: dict[tuple[int, int], date] = {}
    rows = (
        Membership.objects.filter(role=Role.MEMBER, org_id__in=list(by_id), user__is_active=True)
        .current(today)
        .values_list("org_id", "user_id", "start_date")
    )
    for org_id, user_id, start in rows:
        key = (org_id, user_id)
        starts[key] = min(start, starts.get(key, start))
    return [(by_id[o], u, s) for (o, u), s in sorted(starts.items())]


@dataclass
class Plan:
    checklist: Checklist
    rows: list[Task] = field(default_factory=list)
    org_ids: set[int] = field(default_factory=set)
    skipped: dict[int, list[str]] = field(default_factory=dict)  # item id → labels of past periods left out
    existing: int = 0

    @property
    def org_count(self) -> int:
        return len(self.org_ids)


def _target_orgs(checklist: Checklist, orgs) -> list[OrgUnit]:
    qs = OrgUnit.objects.filter(kind=checklist.level, is_active=True)
    if orgs is not None:
        qs = qs.filter(pk__in=[getattr(o, "pk", o) for o in orgs])
    return list(qs.only("id", "path", "depth", "kind", "created_at"))


def plan_checklist(
    checklist: Checklist, *, include_past: bool = False, orgs=None, today: date | None = None,
    tree: OrgTree | None = None, ignore_status: bool = False,
) -> Plan:
    """The tasks publishing (or re-running) ``checklist`` would create, without writing."""
    today = today or timezone.localdate()
    plan = Plan(checklist)
    if checklist.status != Checklist.Status.PUBLISHED and not ignore_status:
        return plan
    items = [i for i in checklist.items.filter(is_active=True) if i.frequency != Frequency.EVENT]
    if not items:
        return plan
    target_orgs = _target_orgs(checklist, orgs)
    if not target_orgs:
        return plan
    tree = tree or OrgTree.load()
    holidays = holiday_pairs(checklist.year)
    periods = {i.pk: item_periods(i, checklist.year, holidays) for i in items}
    published = _local(checklist.published_at) or today

    opted_out: set[tuple[int, int]] = set()
    reopened: dict[tuple[int, int], date] = {}
    for item_id, org_id, active, ended in ItemOptOut.objects.filter(item__in=items).values_list(
        "item_id", "org_id", "is_active", "ended_at"
    ):
        if active:
            opted_out.add((item_id, org_id))
        elif ended:
            reopened[(item_id, org_id)] = _local(ended)

    ct = ContentType.objects.get_for_model(ChecklistItem)
    existing = set(
        Task.objects.filter(source_type=ct, source_id__in=[i.pk for i in items]).values_list(
            "org_id", "source_id", "period_start", "assignee_id"
        )
    )
    plan.existing = len(existing)
    snaps = {i.pk: snapshot(i) for i in items}
    review = {o.pk: tree.review_org_id(o, checklist.review_by) for o in target_orgs}
    skipped: dict[int, set] = defaultdict(set)

    for org, assignee_id, member_start in bearer_targets(checklist, target_orgs, today):
        org_start = max(_local(org.created_at) or published, published)
        if member_start:
            org_start = max(org_start, member_start)
        for item in items:
            if (item.pk, org.pk) in opted_out:
                continue
            cutoff = org_start
            if item.effective_from:
                cutoff = max(cutoff, item.effective_from)
            if (item.pk, org.pk) in reopened:
                cutoff = max(cutoff, reopened[(item.pk, org.pk)])
            for p in periods[item.pk]:
                if not include_past and p.due < cutoff:
                    skipped[item.pk].add((p.start, p.label))
                    continue
                plan.org_ids.add(org.pk)
                if (org.pk, item.pk, p.start, assignee_id) in existing:
                    continue
                plan.rows.append(
                    Task(
                        org_id=org.pk, kind=Task.Kind.DUTY, source_type_id=ct.pk, source_id=item.pk,
                        period_start=p.start, period_end=p.end, period_label=p.label,
                        due_date=p.due, original_due_date=p.due, bearer=checklist.bearer,
                        assignee_id=assignee_id, review_org_id=review[org.pk], **snaps[item.pk],
                    )
                )
    plan.skipped = {k: [label for _, label in sorted(v)] for k, v in skipped.items()}
    return plan


def create(checklist: Checklist, plan: Plan, *, actor=None) -> int:
    """Insert the planned rows through ``tasks.services`` (exactly once); returns the rows created."""
    return services.create_tasks(plan.rows, actor=actor, action="tasks.generated", obj=checklist, year=checklist.year)


def generate_for_checklist(
    checklist: Checklist, *, include_past: bool = False, orgs=None, today: date | None = None,
    tree: OrgTree | None = None,
) -> int:
    """Create the missing tasks of a published list; returns the rows created."""
    with transaction.atomic():
        plan = plan_checklist(checklist, include_past=include_past, orgs=orgs, today=today, tree=tree)
        return create(checklist, plan)


def generate_year(year: int, include_past: bool = False, today: date | None = None, orgs=None) -> int:
    """Generation for every published list of ``year``; returns the rows created."""
    tree = OrgTree.load()
    created = 0
    for checklist in Checklist.objects.filter(year=year, status=Checklist.Status.PUBLISHED):
        created += generate_for_checklist(checklist, include_past=include_past, orgs=orgs, today=today, tree=tree)
    return created


def generate_current(today: date | None = None) -> int:
    """What the daily beat job runs: this year and, once lists for it exist, next year."""
    today = today or timezone.localdate()
    return generate_year(today.year, today=today) + generate_year(today.year + 1, today=today)
