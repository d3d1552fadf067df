"""Years of tasks for a benchmark tree, written fast: the default duty lists of each year are
planned once per org level (tasks.generation, for one org of the level), the plan is
repeated for every org of that level under the root, and each row gets a state a real
county would show — mostly approved on time in past years, some late, a few never done,
returned, cancelled or extended; recent and coming periods still open or awaiting review —
then goes to the database by COPY (``tasks.services.copy_tasks``). No timeline, history or
audit row per task: a data set to measure pages on, not a record of work.

Every completion and approval date is on or before ``today`` (as the service functions
write them), so the task counts answer for today (tasks.tally)."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from accounts.models import Membership, OrgUnit
from accounts.roles import Role
from responsibilities.choices import Bearer
from responsibilities.defaults import HOLIDAYS
from responsibilities.loading import load_default_lists
from responsibilities.models import Checklist, Holiday

from . import services
from .generation import OrgTree, plan_checklist
from .models import Task

FIELDS = [f for f in Task._meta.concrete_fields if not f.primary_key]
COLUMNS = [f.column for f in FIELDS]
COL = {c: i for i, c in enumerate(COLUMNS)}
CHUNK = 200_000  # rows per COPY statement (each one updates the task counts once)
SH = ZoneInfo("Asia/Shanghai")


@dataclass
class State:
    status: str
    completed: date | None = None
    approved: date | None = None
    extended: int = 0


def state_of(due: date, today: date, rng: random.Random) -> State:
    """A plausible state as of ``today`` for a task due on ``due``."""
    r = rng.random()
    age = (today - due).days
    if age > 30:  # long past: settled
        if r < 0.70:
            done = due - timedelta(days=rng.randrange(0, 8))
            return State("approved", done, min(today, done + timedelta(days=rng.randrange(0, 6))))
        if r < 0.86:
            done = min(today, due + timedelta(days=rng.randrange(1, 40)))
            return State("approved", done, min(today, done + timedelta(days=rng.randrange(0, 6))))
        if r < 0.88:
            return State("submitted", min(today, due + timedelta(days=rng.randrange(-5, 20))))
        if r < 0.91:
            return State("returned")
        if r < 0.93:
            return State("cancelled")
        return State("pending")
    if age >= 0:  # due in the last month
        if r < 0.40:
            done = due - timedelta(days=rng.randrange(0, 8))
            return State("approved", done, min(today, done + timedelta(days=rng.randrange(0, 4))))
        if r < 0.65:
            return State("submitted", min(today, due + timedelta(days=rng.randrange(-6, 3))))
        if r < 0.70:
            return State("returned")
        if r < 0.73:
            return State("pending", extended=1)
        return State("pending")
    if r < 0.08 and due - today < timedelta(days=40):  # coming: a few done early
        done = today - timedelta(days=rng.randrange(0, 10))
        return State("submitted" if r < 0.05 else "approved", done, today if r >= 0.05 else None)
    return State("pending", extended=1 if r > 0.98 else 0)


def _stamp(day: date | None):
    return datetime.combine(day, time(10), tzinfo=SH) if day else None


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


def _with_holidays(year: int) -> None:
    load_default_lists(year)
    if year not in HOLIDAYS:  # past years' holidays approximated by the latest year's dates
        for name, day in HOLIDAYS[max(HOLIDAYS)].items():
            Holiday.objects.get_or_create(year=year, name=name, defaults={"date": day.replace(year=year)})


class Tree:
    """The orgs under ``root`` by level, and their members (for lists borne by members)."""

    def __init__(self, root: OrgUnit):
        rows = list(OrgUnit.objects.filter(path__startswith=root.path, is_active=True).order_by("path")
                    .values_list("id", "path", "kind"))
        self.by_level: dict[str, list[tuple[int, str]]] = {}
        for pk, p, kind in rows:
            self.by_level.setdefault(kind, []).append((pk, p))
        self.members: dict[int, list[int]] = {}
        for org_id, user_id in (Membership.objects.filter(role=Role.MEMBER, org__path__startswith=root.path)
                                .order_by("org_id", "user_id").values_list("org_id", "user_id")):
            self.members.setdefault(org_id, []).append(user_id)


def _templates(checklist: Checklist, rep: OrgUnit, tree: OrgTree, today: date) -> list[tuple[list[str], date]]:
    """The rows one org of the list's level gets in its year: (column values in COPY's text
    format, due date)."""
    plan = plan_checklist(checklist, include_past=True, orgs=[rep], today=today, tree=tree, ignore_status=True)
    seen, out = set(), []
    for t in plan.rows:
        key = (t.source_id, t.period_start)
        if key in seen:
            continue
        seen.add(key)
        t.assignee_id = None
        out.append(([copy_text(f.get_db_prep_save(f.pre_save(t, True), connection)) for f in FIELDS], t.due_date))
    return out


def _lines(templates, orgs, tree: Tree, reviewers: OrgTree, checklist: Checklist, today: date, rng: random.Random,
           block: int = 5000):
    """The rows of ``orgs`` in COPY's text format, ``block`` rows to a string; each org's review
    org as generation gives it (``reviewers``)."""
    member_list = checklist.bearer == Bearer.MEMBER
    i_org, i_rev, i_ass = COL["org_id"], COL["review_org_id"], COL["assignee_id"]
    i_status, i_due, i_done, i_appr = COL["status"], COL["due_date"], COL["completed_on"], COL["approved_on"]
    i_sub, i_rev_at, i_ext, i_note = COL["submitted_at"], COL["reviewed_at"], COL["extension_count"], COL["note"]
    out = []
    for org_id, path in orgs:
        review = str(reviewers.review_org_id_at(path, checklist.review_by))
        for assignee in (tree.members.get(org_id, []) if member_list else [None]):
            for tpl, due in templates:
                row = list(tpl)
                row[i_org], row[i_rev], row[i_ass] = str(org_id), review, copy_text(assignee)
                s = state_of(due, today, rng)
                row[i_status] = s.status
                if s.extended:
                    row[i_due], row[i_ext] = (due + timedelta(days=30)).isoformat(), "1"
                if s.completed:
                    row[i_done], row[i_sub], row[i_note] = s.completed.isoformat(), _stamp(s.completed).isoformat(), "已按要求完成"
                if s.approved:
                    row[i_appr], row[i_rev_at] = s.approved.isoformat(), _stamp(s.approved).isoformat()
                out.append("\t".join(row))
                if len(out) >= block:
                    yield "\n".join(out) + "\n"
                    out = []
    if out:
        yield "\n".join(out) + "\n"


def load(root: OrgUnit, years: int = 5, today: date | None = None, seed: int = 1, say=print) -> int:
    """``years`` years of tasks (this one and the ones before) for every org under ``root``;
    returns the rows written. A year that has tasks under ``root`` already is left alone."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    tree, gen_tree = Tree(root), OrgTree.load()
    total = 0
    for year in range(today.year - years + 1, today.year + 1):
        if Task.objects.filter(org__path__startswith=root.path, due_date__year=year).exists():
            say(f"{year}: tasks there already, left alone")
            continue
        _with_holidays(year)
        Checklist.objects.filter(year=year, status=Checklist.Status.DRAFT).update(
            status=Checklist.Status.PUBLISHED, published_at=_stamp(date(year, 1, 1)))
        for checklist in Checklist.objects.filter(year=year, status=Checklist.Status.PUBLISHED).order_by("level", "bearer"):
            orgs = tree.by_level.get(checklist.level, [])
            if not orgs:
                continue
            rep = OrgUnit.objects.get(pk=orgs[0][0])
            templates = _templates(checklist, rep, gen_tree, today)
            for n in range(0, len(orgs), max(1, CHUNK // max(1, len(templates)))):
                batch = orgs[n:n + max(1, CHUNK // max(1, len(templates)))]
                total += services.copy_tasks(COLUMNS, _lines(templates, batch, tree, gen_tree, checklist, today, rng))
            say(f"{year} {checklist.level}/{checklist.bearer}: {len(templates)} tasks × {len(orgs)} orgs ({total:,} so far)")
    return total
