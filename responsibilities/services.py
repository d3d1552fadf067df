"""Rules of duty lists: editing, publishing, switching items off, copying a year,
the holiday calendar. Views, commands, the importer and tests call these;
each runs in one transaction, validates before writing and records an audit row.

Bad input raises ``django.core.exceptions.ValidationError`` with a Chinese
message (via the catalog); a concurrent edit raises ``Conflict``.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import OrgUnit
from accounts.scope import reaches
from tasks import generation
from tasks import services as task_services

from . import task_sync
from .models import Checklist, ChecklistItem
from .validation import ITEM_FIELDS, item_errors

LIST_FIELDS = ["year", "level", "bearer", "title", "review_by", "version_note", "source_note"]
FROZEN_WHEN_PUBLISHED = {"year", "level", "bearer", "review_by"}


class Conflict(ValidationError):
    """Someone else changed the object since it was read."""


def visible_levels(user) -> set[str]:
    """Org levels of the orgs in the user's scope: the lists they may read."""
    if reaches(user, "manage", county_wide=True):
        return {c for c, _ in Checklist._meta.get_field("level").choices}
    return set(OrgUnit.objects.restrict(user, "view").order_by().values_list("kind", flat=True).distinct())


def touch(checklist: Checklist) -> None:
    """An edit of a published list is a new version of it."""
    if Checklist.objects.filter(pk=checklist.pk, status=Checklist.Status.PUBLISHED).update(
        version=F("version") + 1, updated_at=timezone.now()
    ):
        checklist.refresh_from_db(fields=["status", "version", "updated_at"])


def _full_clean(obj, exclude=None):
    obj.full_clean(exclude=exclude)


# --- lists -------------------------------------------------------------------

@transaction.atomic
def create_checklist(user, **data) -> Checklist:
    checklist = Checklist(**{k: v for k, v in data.items() if k in LIST_FIELDS})
    if Checklist.objects.filter(year=checklist.year, level=checklist.level, bearer=checklist.bearer).exists():
        raise ValidationError(_("A list for this year, level and bearer already exists."))
    _full_clean(checklist)
    checklist.save()
    audit.record("responsibilities.list_created", user=user, obj=checklist, year=checklist.year, level=checklist.level, bearer=checklist.bearer)
    return checklist


@transaction.atomic
def update_checklist(checklist: Checklist, user, **data) -> Checklist:
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    changed = {}
    for key, value in data.items():
        if key in LIST_FIELDS and getattr(checklist, key) != value:
            if key in FROZEN_WHEN_PUBLISHED and checklist.status != Checklist.Status.DRAFT:
                raise ValidationError(_("Year, level, bearer and reviewer of a published list cannot change."))
            changed[key] = [str(getattr(checklist, key)), str(value)]
            setattr(checklist, key, value)
    if not changed:
        return checklist
    if {"year", "level", "bearer"} & changed.keys():
        clash = Checklist.objects.filter(year=checklist.year, level=checklist.level, bearer=checklist.bearer).exclude(pk=checklist.pk)
        if clash.exists():
            raise ValidationError(_("A list for this year, level and bearer already exists."))
    _full_clean(checklist)
    checklist.save()
    audit.record("responsibilities.list_edited", user=user, obj=checklist, changed=changed)
    return checklist


@dataclass
class PublishResult:
    created: int = 0
    already: bool = False
    org_count: int = 0
    skipped: list[tuple[ChecklistItem, list[str]]] = field(default_factory=list)


def publish_errors(checklist: Checklist) -> list[str]:
    """Everything that stops a list from being published, one line per problem."""
    problems = []
    items = list(checklist.items.filter(is_active=True))
    if not items:
        problems.append(_("The list has no active items."))
    for item in items:
        for messages in item_errors(item).values():
            for m in messages:
                problems.append(_("Item %(seq)s: %(message)s") % {"seq": item.seq, "message": m})
    return problems


def preview(checklist: Checklist, include_past: bool = False) -> PublishResult:
    plan = generation.plan_checklist(checklist, include_past=include_past, ignore_status=True)
    return _result(checklist, plan, len(plan.rows))


def _result(checklist, plan, created) -> PublishResult:
    items = {i.pk: i for i in checklist.items.all()}
    skipped = [(items[k], v) for k, v in sorted(plan.skipped.items(), key=lambda kv: items[kv[0]].seq)]
    return PublishResult(created=created, org_count=plan.org_count, skipped=skipped)


@transaction.atomic
def publish(checklist: Checklist, user, *, include_past: bool = False) -> PublishResult:
    """Draft → published, and the year's tasks. Publishing again changes nothing."""
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.status == Checklist.Status.PUBLISHED:
        return PublishResult(already=True)
    if checklist.status == Checklist.Status.ARCHIVED:
        raise ValidationError(_("An archived list cannot be published again."))
    problems = publish_errors(checklist)
    if problems:
        raise ValidationError(problems)
    checklist.status = Checklist.Status.PUBLISHED
    checklist.published_at = timezone.now()
    checklist.published_by = user if user and user.is_authenticated else None
    checklist.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    plan = generation.plan_checklist(checklist, include_past=include_past)
    result = _result(checklist, plan, generation.create(checklist, plan, actor=user))
    audit.record(
        "responsibilities.list_published", user=user, obj=checklist, created=result.created, orgs=result.org_count,
        include_past=include_past, skipped={str(i.seq): labels for i, labels in result.skipped},
    )
    return result


@transaction.atomic
def archive(checklist: Checklist, user) -> int:
    """Published → archived: no new tasks; open tasks not yet due are cancelled."""
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.status == Checklist.Status.ARCHIVED:
        return 0
    today = timezone.localdate()
    reason = _("The duty list was archived.")
    cancelled = task_services.cancel_tasks(
        task_sync.checklist_tasks(checklist).filter(due_date__gte=today), actor=user, reason=reason, cause="archived",
        ref=checklist.pk,
    )
    checklist.status = Checklist.Status.ARCHIVED
    checklist.save(update_fields=["status", "updated_at"])
    audit.record("responsibilities.list_archived", user=user, obj=checklist, cancelled=cancelled)
    return cancelled


# --- items -------------------------------------------------------------------

def _clean_item(item: ChecklistItem) -> None:
    try:
        item.full_clean(exclude=["checklist"])
    except ValidationError as e:
        raise ValidationError(e.message_dict) from None


@transaction.atomic
def add_item(checklist: Checklist, user, *, bump_version: bool = True, **data) -> tuple[ChecklistItem, int]:
    """Add an item; in a published list it binds from today and its tasks are created."""
    checklist = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.status == Checklist.Status.ARCHIVED:
        raise ValidationError(_("An archived list cannot be edited."))
    if not data.get("seq"):
        data["seq"] = (checklist.items.aggregate(m=Max("seq"))["m"] or 0) + 1
    item = ChecklistItem(checklist=checklist, **{k: v for k, v in data.items() if k in ITEM_FIELDS})
    if checklist.status == Checklist.Status.PUBLISHED:
        item.effective_from = timezone.localdate()
    _clean_item(item)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise ValidationError({"seq": [_("Number %(seq)s is already used in this list.") % {"seq": item.seq}]}) from None
    created = 0
    if checklist.status == Checklist.Status.PUBLISHED:
        if bump_version:
            touch(checklist)
        created = generation.generate_for_checklist(checklist)
    audit.record("responsibilities.item_created", user=user, obj=item, checklist=checklist.pk, seq=item.seq, title=item.title, tasks=created)
    return item, created


@transaction.atomic
def update_item(item: ChecklistItem, user, *, lock_version: int, bump_version: bool = True, **data) -> tuple[ChecklistItem, int]:
    """Edit an item (optimistic lock on ``lock_version``). In a published list the
    tasks not yet started take the new text; returns (item, tasks updated)."""
    current = ChecklistItem.objects.select_related("checklist").get(pk=item.pk)
    if current.checklist.status == Checklist.Status.ARCHIVED:
        raise ValidationError(_("An archived list cannot be edited."))
    if current.lock_version != lock_version:
        raise Conflict(_("This item has been changed by someone else. Reload it and make your change again."))
    changed = {}
    for key, value in data.items():
        if key in ITEM_FIELDS and getattr(current, key) != value:
            changed[key] = [str(getattr(current, key)), str(value)]
            setattr(current, key, value)
    if not changed:
        return current, 0
    _clean_item(current)
    fields = {k: getattr(current, k) for k in changed}
    try:
        with transaction.atomic():
            n = ChecklistItem.objects.filter(pk=current.pk, lock_version=lock_version).update(
                **fields, lock_version=lock_version + 1, updated_at=timezone.now()
            )
    except IntegrityError:
        raise ValidationError({"seq": [_("Number %(seq)s is already used in this list.") % {"seq": current.seq}]}) from None
    if n == 0:
        raise Conflict(_("This item has been changed by someone else. Reload it and make your change again."))
    current.refresh_from_db()
    updated = 0
    if current.checklist.status == Checklist.Status.PUBLISHED:
        if bump_version:
            touch(current.checklist)
        updated = task_sync.resnapshot(current, actor=user)
    audit.record("responsibilities.item_edited", user=user, obj=current, changed=changed, tasks_updated=updated)
    return current, updated


@transaction.atomic
def move_item(item: ChecklistItem, user, direction: str) -> bool:
    """Swap the item with its neighbour above ("up") or below ("down")."""
    checklist = Checklist.objects.select_for_update().get(pk=item.checklist_id)
    if checklist.status == Checklist.Status.ARCHIVED:
        raise ValidationError(_("An archived list cannot be edited."))
    item = ChecklistItem.objects.get(pk=item.pk)
    siblings = checklist.items.exclude(pk=item.pk)
    other = (
        siblings.filter(seq__lt=item.seq).order_by("-seq").first()
        if direction == "up" else siblings.filter(seq__gt=item.seq).order_by("seq").first()
    )
    if other is None:
        return False
    a, b = item.seq, other.seq
    ChecklistItem.objects.filter(pk=item.pk).update(seq=0)
    ChecklistItem.objects.filter(pk=other.pk).update(seq=a, lock_version=F("lock_version") + 1)
    ChecklistItem.objects.filter(pk=item.pk).update(seq=b, lock_version=F("lock_version") + 1)
    touch(checklist)
    audit.record("responsibilities.item_moved", user=user, obj=item, direction=direction, old_seq=a, new_seq=b)
    return True


@transaction.atomic
def set_item_active(item: ChecklistItem, user, active: bool) -> int:
    """Switch an item off (its open tasks not yet due are cancelled) or on again
    (those tasks reopen; missing ones are generated from today)."""
    item = ChecklistItem.objects.select_related("checklist").select_for_update().get(pk=item.pk)
    checklist = item.checklist
    if checklist.status == Checklist.Status.ARCHIVED:
        raise ValidationError(_("An archived list cannot be edited."))
    if item.is_active == active:
        return 0
    today = timezone.localdate()
    item.is_active = active
    item.lock_version += 1
    fields = ["is_active", "lock_version", "updated_at"]
    if active and checklist.status == Checklist.Status.PUBLISHED:
        item.effective_from = today
        fields.append("effective_from")
    if active:
        _clean_item(item)
    item.save(update_fields=fields)
    affected = 0
    if checklist.status == Checklist.Status.PUBLISHED:
        touch(checklist)
        if active:
            affected = task_services.restore_tasks(
                task_sync.item_tasks(item), actor=user, cause="item_deactivated", ref=item.pk, today=today,
                message=_("The item was switched on again."),
            )
            affected += generation.generate_for_checklist(checklist)
        else:
            affected = task_services.cancel_tasks(
                task_sync.item_tasks(item).filter(due_date__gte=today), actor=user,
                reason=_("The item was switched off."), cause="item_deactivated", ref=item.pk,
            )
    audit.record("responsibilities.item_activated" if active else "responsibilities.item_deactivated", user=user, obj=item,
                 tasks=affected)
    return affected


# Opt-outs, years and holidays live in their own modules; callers use services.*
from .optouts import add_opt_out, end_opt_out  # noqa: E402
from .years import copy_year, save_holidays  # noqa: E402

__all__ = [
    "Conflict", "ITEM_FIELDS", "add_item", "add_opt_out", "archive", "copy_year", "create_checklist", "end_opt_out",
    "move_item", "preview", "publish", "publish_errors", "save_holidays", "set_item_active",
    "update_checklist", "update_item", "visible_levels",
]
