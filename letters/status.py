"""Where the cascade of 目标责任书 stands: per receiving org, its letter's state; per level and
per town, how many letters are in each state — every count defined as the task list's filter
it links to (``kind=letter``, the unit's subtree, the level, the year's due dates, one status or
colour), so a number and the list behind it cannot disagree."""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from tasks.models import Task
from tasks.warnings import Colour, colour_expression

from .models import ResponsibilityLetter
from .services import issues_letters, receivers
from .texts import RECEIVING, receives

S = Task.Status


class State:
    NOT_ISSUED, ISSUED, SIGNED, OVERDUE = "not_issued", "issued", "signed", "overdue"
    LABELS = {NOT_ISSUED: _("Not issued"), ISSUED: _("Issued, awaiting the signed scan"),
              SIGNED: _("Signed scan uploaded"), OVERDUE: _("Overdue")}
    CSS = {NOT_ISSUED: "text-bg-secondary", ISSUED: "text-bg-primary", SIGNED: "text-bg-success", OVERDUE: "text-bg-danger"}


def state_of(status: str | None, colour: str | None) -> str:
    if status is None or status == S.CANCELLED:
        return State.NOT_ISSUED
    if status in Task.DONE_STATUSES:
        return State.SIGNED
    return State.OVERDUE if colour == Colour.RED else State.ISSUED


# the counted columns: key, label, the task list's filter
COLUMNS = (
    ("pending", _("Awaiting the signed scan"), {"status": S.PENDING}),
    ("returned", _("Returned"), {"status": S.RETURNED}),
    ("submitted", _("Uploaded, to be confirmed"), {"status": S.SUBMITTED}),
    ("approved", _("Confirmed"), {"status": S.APPROVED}),
    ("overdue", _("Of which overdue"), {"colour": Colour.RED}),
)
STATUS_KEY = {f["status"]: key for key, _label, f in COLUMNS if "status" in f}  # a letter task's status → its column


def list_url(org: OrgUnit, level: str, year: int, **extra) -> str:
    params = {"kind": Task.Kind.LETTER, "org": org.code, "level": level,
              "due_from": date(year, 1, 1).isoformat(), "due_to": date(year, 12, 31).isoformat(), **extra}
    return f"{reverse('tasks:list')}?{urlencode(params)}"


@dataclass
class Counts:
    org: OrgUnit                      # whose subtree
    level: str                        # the receivers' kind
    year: int
    receivers: int = 0
    by_key: dict = field(default_factory=dict)

    @property
    def not_issued(self) -> int:
        return self.receivers - sum(self.by_key.get(k, 0) for k in STATUS_KEY.values())

    def cells(self):
        return [{"key": k, "label": label, "n": self.by_key.get(k, 0), "url": list_url(self.org, self.level, self.year, **f)}
                for k, label, f in COLUMNS]


@dataclass
class Row:
    org: OrgUnit
    state: str
    letter_id: int | None
    task_id: int | None
    issues: bool
    below: Counts | None = None

    @property
    def label(self):
        return State.LABELS[self.state]

    @property
    def css(self):
        return State.CSS[self.state]


def receiving_kinds(root: OrgUnit) -> list[str]:
    """The kinds of org that receive a letter somewhere in ``root``'s subtree, top down."""
    kinds, frontier = [], [root.kind]
    while frontier:
        below = [k for f in frontier for k in RECEIVING.get(f, ())]
        kinds += [k for k in below if k not in kinds]
        frontier = below
    return kinds


def _receivers_below(root: OrgUnit) -> list[tuple[str, str]]:
    """(path, kind) of the active orgs below ``root`` whose parent issues letters to their kind
    (one query; plain rows, a province holds 31 k orgs)."""
    orgs = list(OrgUnit.objects.filter(path__startswith=root.path, is_active=True).values_list("path", "kind"))
    kind_of = dict(orgs)
    return [(path, kind) for path, kind in orgs
            if len(path) > len(root.path) and receives(kind, kind_of.get(path[: -OrgUnit.steplen]))]


def _receives(org: OrgUnit) -> bool:
    """Does ``org`` receive a letter from the org above it?"""
    if org.depth == 1:
        return False
    return receives(org.kind, OrgUnit.objects.filter(path=org.path[: -OrgUnit.steplen]).values_list("kind", flat=True).first())


def cascade(user, root: OrgUnit, year: int, today: date | None = None) -> dict:
    """The status page of ``root`` for ``year``: its own letter's state, per level counts over its
    subtree, and one row per org directly below that receives a letter (a town with the counts
    of its villages, a county with those of its towns). The receivers and their letters' tasks
    are each gone through once, whatever the number of rows (a province lists 73 counties over
    31 k orgs)."""
    today = today or timezone.localdate()
    tasks = (Task.objects.restrict(user, "view")
             .filter(kind=Task.Kind.LETTER, org__path__startswith=root.path,
                     due_date__gte=date(year, 1, 1), due_date__lte=date(year, 12, 31))
             .annotate(colour=colour_expression(today))
             .values_list("org_id", "org__path", "org__kind", "status", "colour"))
    by_org = {org_id: (path, kind, status, colour) for org_id, path, kind, status, colour in tasks}
    below_root = _receivers_below(root)
    children = list(receivers(root))
    levels = {k: Counts(root, k, year) for k in receiving_kinds(root)}
    # a row's counts: the first level its org issues to, strictly below it
    below = {c.path: Counts(c, RECEIVING[c.kind][0], year) for c in children if issues_letters(c)}
    width = (root.depth + 1) * OrgUnit.steplen

    def counted(path, kind):
        """The Counts a receiver (or its task) at ``path`` of ``kind`` adds to."""
        out = [levels[kind]] if kind in levels else []
        row = below.get(path[:width])
        if row is not None and row.level == kind and path != row.org.path:
            out.append(row)
        return out

    for path, kind in below_root:
        for c in counted(path, kind):
            c.receivers += 1
    for path, kind, status, colour in by_org.values():
        if path == root.path:
            continue
        for c in counted(path, kind):
            for key in (STATUS_KEY.get(status), "overdue" if colour == Colour.RED else None):
                if key:
                    c.by_key[key] = c.by_key.get(key, 0) + 1

    letters, tasks_of = {}, {}
    for org_id, pk, issued_on, task_id in (ResponsibilityLetter.objects.filter(year=year, org__path__startswith=root.path)
                                           .values_list("org_id", "pk", "issued_on", "task_id")):
        if issued_on is not None:
            letters[org_id] = pk
        if task_id is not None:
            tasks_of[org_id] = task_id

    def row(org):
        _p, _k, status, colour = by_org.get(org.pk, (None, None, None, None))
        return Row(org, state_of(status, colour), letters.get(org.pk), tasks_of.get(org.pk), issues_letters(org),
                   below.get(org.path))

    own = row(root) if _receives(root) else None
    return {"levels": list(levels.values()), "rows": [row(o) for o in children], "own": own}
