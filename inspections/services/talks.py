"""谈话 records (sensitive) and the talk coverage of a duty item asking for talks."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit, pickers
from accounts.models import Membership, OrgUnit
from accounts.roles import Role
from accounts.scope import can

from ..models import Talk
from .files import check_upload


def visible_talks(user):
    """County staff and the secretaries of either side (``sensitive`` reach) only."""
    orgs = OrgUnit.objects.restrict(user, "sensitive")
    return Talk.objects.filter(Q(org__in=orgs) | Q(talker_org__in=orgs))


def get_talk(user, pk) -> Talk:
    try:
        talk = visible_talks(user).select_related("org", "talker_org").get(pk=pk)
    except (Talk.DoesNotExist, ValueError):
        raise Http404 from None
    audit.record("inspections.talk_viewed", obj=talk, kind=talk.kind)
    return talk


@transaction.atomic
def record_talk(user, *, kind, talker_org, org, held_on, topics, talkees=(), talkee_name="", talkee_title="", talkers=(),
                talker_name="", record_file=None) -> Talk:
    """``talkees``: the people talked to, each holding a post at ``org`` (the talk pickers); their
    names and the first one's post are kept as recorded. ``talkee_name`` names them instead.
    ``talkers``: the people who talked, each holding a post at ``talker_org``; their names are
    kept as recorded. ``talker_name`` names them instead; without either, the recorder."""
    errors = {}
    talkees, talkers = list(talkees or ()), list(talkers or ())
    if talker_org is None or not can(user, "sensitive", talker_org):
        errors["talker_org"] = _("You can only record talks held by your own organisation.")
    elif away := [p for p in talkers if not pickers.allowed("talker", user, p, org=talker_org)]:
        errors["talkers"] = _("%(names)s holds no post at the talker's organisation.") % {"names": _names(away)}
    elif talkers:
        talker_name = _names(talkers)[:100]
    if org is None:
        errors["org"] = _("Choose the organisation talked to.")
    elif talker_org is not None and not org.path.startswith(talks_reach(talker_org)[0]):
        errors["org"] = _("Talks are recorded with your own organisation or one below it.")
    if held_on and held_on > timezone.localdate():
        errors["held_on"] = _("The date of the talk is in the future.")
    if org is not None and (away := [p for p in talkees if not pickers.allowed("talkee", user, p, org=org)]):
        errors["talkees"] = _("%(names)s holds no post at the organisation talked to.") % {"names": _names(away)}
    elif talkees:
        talkee_name = _names(talkees)[:100]
        talkee_title = talkee_title or _post_at(talkees[0], org)
    elif not (talkee_name or "").strip():
        errors["talkees"] = _("Choose the people talked to.")
    if not (topics or "").strip():
        errors["topics"] = _("Write the topics of the talk.")
    record_name = ""
    if record_file is not None:
        try:
            record_name = check_upload(record_file).name
        except ValidationError as e:
            errors["record_file"] = e.messages
    if errors:
        raise ValidationError(errors)
    talk = Talk.objects.create(
        kind=kind, talker=user, talker_name=(talker_name or user.get_full_name() or user.username)[:100], talker_org=talker_org,
        org=org, talkee_name=talkee_name.strip(), talkee_title=talkee_title, held_on=held_on, topics=topics.strip(),
        record_file=record_file or "", record_name=record_name, created_by=user,
    )
    talk.talkees.set(talkees)
    talk.talkers.set(talkers)
    audit.record("inspections.talk_recorded", obj=talk, kind=kind, talkees=[p.pk for p in talkees],
                 talkers=[p.pk for p in talkers])
    return talk


def _names(people) -> str:
    return "、".join(p.get_full_name() or p.username for p in people)


def _post_at(person, org) -> str:
    post = Membership.objects.current().filter(user=person, org=org).order_by("id").values_list("title", "role").first()
    return (post[0] or str(Role(post[1]).label))[:100] if post else ""


@dataclass
class Coverage:
    done: int
    total: int
    missing: list = field(default_factory=list)

    def __str__(self):
        return f"{self.done} / {self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def asks_for_talks(task) -> bool:
    text = f"{task.title} {task.requirement}"
    return "谈话" in text and ("全覆盖" in text or "逐一" in text or "每个" in text)


def talks_reach(org) -> tuple[str, int]:
    """(path, depth) of the subtree an org holds talks in: its own, and for a county
    department (the 县纪委监委, 县委办 …) the county's — a department talks with towns and
    villages, not with orgs below itself. Built from the path: no query for the parent."""
    if org.kind == OrgUnit.Kind.DEPARTMENT:
        return org.path[: -OrgUnit.steplen], org.depth - 1
    return org.path, org.depth


def coverage_targets(task):
    """The orgs one level below the subtree the task's org talks in, its departments aside (a
    county → its towns; a department → the county's towns; a town → its villages)."""
    path, depth = talks_reach(task.org)
    return (OrgUnit.objects.filter(path__startswith=path, depth=depth + 1, is_active=True)
            .exclude(kind=OrgUnit.Kind.DEPARTMENT).order_by("path"))


def talk_coverage(task) -> Coverage | None:
    """For a duty item asking for talks (e.g. 与镇党委书记面对面谈话，全覆盖): how many of the
    orgs below have a talk record in the task's period, e.g. 14 / 20 towns. None otherwise.
    One query (targets with an EXISTS per target); none for a task that asks for no talks."""
    if not asks_for_talks(task):
        return None
    talked = Talk.objects.filter(org=OuterRef("pk"), held_on__gte=task.period_start, held_on__lte=task.period_end)
    targets = list(coverage_targets(task).annotate(talked=Exists(talked)))
    return Coverage(sum(1 for t in targets if t.talked), len(targets), [t for t in targets if not t.talked])
