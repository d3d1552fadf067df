"""Switching an item off for one org (no 上下一般粗) and on again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from tasks import generation, services as task_services

from . import task_sync
from .models import Checklist, ChecklistItem, ItemOptOut


@transaction.atomic
def add_opt_out(item: ChecklistItem, org, user, reason: str) -> tuple[ItemOptOut, int]:
    """Switch ``item`` off for ``org``: its open tasks there are cancelled."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for switching the item off.")]})
    if org.kind != item.checklist.level:
        raise ValidationError({"org": [_("This organisation is not at the list's level.")]})
    opt, created = ItemOptOut.objects.select_for_update().get_or_create(
        item=item, org=org, defaults={"reason": reason, "created_by": user}
    )
    if not created:
        if opt.is_active:
            raise ValidationError({"org": [_("The item is already switched off for this organisation.")]})
        opt.is_active, opt.reason, opt.created_by, opt.ended_at, opt.ended_by = True, reason, user, None, None
        opt.created_at = timezone.now()
        opt.save()
    message = _("Switched off for this organisation: %(reason)s") % {"reason": reason}
    cancelled = task_services.cancel_tasks(
        (task_sync.item_tasks(item) | task_sync.event_tasks(item)).filter(org=org), actor=user, reason=message,
        cause="optout", ref=opt.pk,
    )
    audit.record("responsibilities.optout_added", obj=opt, org=org, item=item.pk, reason=reason, cancelled=cancelled)
    return opt, cancelled


@transaction.atomic
def end_opt_out(opt: ItemOptOut, user) -> int:
    """Switch the item on again for the org: tasks it cancelled that are not yet
    due reopen, and periods due from today on are generated."""
    opt = ItemOptOut.objects.select_for_update().select_related("item__checklist", "org").get(pk=opt.pk)
    if not opt.is_active:
        return 0
    opt.is_active, opt.ended_at, opt.ended_by = False, timezone.now(), user
    opt.save(update_fields=["is_active", "ended_at", "ended_by"])
    restored = task_services.restore_tasks(
        task_sync.item_tasks(opt.item).filter(org=opt.org), actor=user, cause="optout", ref=opt.pk,
        message=_("The item applies to this organisation again."),
    )
    created = 0
    if opt.item.checklist.status == Checklist.Status.PUBLISHED:
        created = generation.generate_for_checklist(opt.item.checklist, orgs=[opt.org])
    audit.record("responsibilities.optout_ended", obj=opt, org=opt.org, item=opt.item_id, restored=restored, created=created)
    return restored + created


