"""即时发布: dispatching an on-demand (事件) item to chosen orgs with a due date.

The dispatch row is the tasks' source, so each dispatch is its own set of
tasks (the same item can go out again for another round). The form carries a
one-time token: submitting it twice returns the first dispatch and creates
nothing new."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import OrgUnit
from tasks import generation, services as task_services
from tasks.models import Task
from tasks.periods import event_label

from .choices import Frequency
from .models import Checklist, ChecklistItem, EventDispatch, ItemOptOut

MAX_DAYS_AHEAD = 366


@dataclass
class DispatchResult:
    dispatch: EventDispatch
    created: int = 0
    repeated: bool = False
    skipped_opted_out: list[OrgUnit] = field(default_factory=list)


def dispatchable_items():
    return ChecklistItem.objects.filter(
        frequency=Frequency.EVENT, is_active=True, checklist__status=Checklist.Status.PUBLISHED
    ).select_related("checklist")


def dispatch_event(
    *, item: ChecklistItem, orgs, due_date: date, user, token, title: str = "", note: str = "",
    today: date | None = None,
) -> DispatchResult:
    today = today or timezone.localdate()
    existing = EventDispatch.objects.filter(token=token).first()
    if existing is not None:
        return DispatchResult(existing, repeated=True)
    errors = {}
    if item.frequency != Frequency.EVENT or not item.is_active or item.checklist.status != Checklist.Status.PUBLISHED:
        errors["item"] = [_("Only active on-demand items of a published list can be dispatched.")]
    if due_date is None or due_date < today:
        errors["due_date"] = [_("The due date cannot be in the past.")]
    elif due_date > today + timedelta(days=MAX_DAYS_AHEAD):
        errors["due_date"] = [_("The due date must be within a year.")]
    org_ids = {getattr(o, "pk", o) for o in orgs}
    targets = list(OrgUnit.objects.filter(pk__in=org_ids, is_active=True).only("id", "path", "depth", "kind", "name"))
    if not org_ids:
        errors["orgs"] = [_("Choose at least one organisation.")]
    elif len(targets) != len(org_ids) or any(o.kind != item.checklist.level for o in targets):
        errors["orgs"] = [_("Choose active organisations at the list's level only.")]
    if errors:
        raise ValidationError(errors)

    opted = set(ItemOptOut.objects.filter(item=item, org__in=targets, is_active=True).values_list("org_id", flat=True))
    skipped = [o for o in targets if o.pk in opted]
    targets = [o for o in targets if o.pk not in opted]
    try:
        with transaction.atomic():
            dispatch = EventDispatch.objects.create(
                item=item, title=(title or item.title).strip()[:300], note=note.strip(), dispatched_on=today,
                due_date=due_date, token=token, created_by=user,
            )
            tree = generation.OrgTree.load()
            ct = ContentType.objects.get_for_model(EventDispatch)
            snap = generation.snapshot(item)
            snap["title"] = dispatch.title
            if dispatch.note:
                snap["requirement"] = "\n\n".join(t for t in (item.requirement, dispatch.note) if t)
            rows = [
                Task(
                    org_id=org.pk, kind=Task.Kind.DUTY, source_type_id=ct.pk, source_id=dispatch.pk,
                    period_start=today, period_end=due_date, period_label=event_label(today),
                    due_date=due_date, original_due_date=due_date, bearer=item.checklist.bearer,
                    assignee_id=assignee, review_org_id=tree.review_org_id(org, item.checklist.review_by), **snap,
                )
                for org, assignee, _start in generation.bearer_targets(item.checklist, targets, today)
            ]
            created = task_services.create_tasks(rows, actor=user, action="tasks.dispatched", obj=dispatch)
            dispatch.task_count = created
            dispatch.save(update_fields=["task_count"])
            audit.record(
                "responsibilities.event_dispatched", obj=dispatch, item=item.pk, due_date=str(due_date),
                orgs=len(targets), tasks=created, skipped_opted_out=[o.pk for o in skipped],
            )
    except IntegrityError:  # the same token submitted concurrently
        return DispatchResult(EventDispatch.objects.get(token=token), repeated=True)
    return DispatchResult(dispatch, created, False, skipped)
