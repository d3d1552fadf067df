"""What a change to a list does to the tasks it already produced.

* cancel: an item switched off for an org (opt-out), an item deactivated, a
  list archived — open tasks (pending / returned) become ``cancelled`` with a
  reason, ``version + 1`` and a ``cancelled`` TaskEvent each; never deleted;
* restore: switching back on reopens the tasks that change cancelled, if
  their due date has not passed;
* resnapshot: editing an item of a published list rewrites the text (and due
  date) of its tasks not yet started — pending, no note, no file, period not
  begun; past and current periods keep what they were issued with;
* reschedule: a corrected holiday moves the not-yet-started 节点 tasks.

Bulk updates guarded by status (a task submitted meanwhile is left alone).
These touch ``tasks.Task`` rows only through status/snapshot fields; they
could move to ``tasks.services`` later without changing callers.
"""

from collections import defaultdict
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tasks.generation import item_periods, snapshot
from tasks.models import Task, TaskEvent

from .models import ChecklistItem

OPEN = [Task.Status.PENDING, Task.Status.RETURNED]


def item_tasks(item: ChecklistItem):
    """Tasks generated from ``item`` by period (not on-demand dispatches)."""
    return Task.objects.filter(source_type=ContentType.objects.get_for_model(ChecklistItem), source_id=item.pk)


def event_tasks(item: ChecklistItem):
    from .models import EventDispatch

    ids = list(item.dispatches.values_list("pk", flat=True))
    return Task.objects.filter(source_type=ContentType.objects.get_for_model(EventDispatch), source_id__in=ids)


def cancel_open(queryset, *, actor, reason: str, cause: str, ref=None) -> int:
    """Cancel the open tasks of ``queryset``; returns how many."""
    with transaction.atomic():
        rows = list(queryset.filter(status__in=OPEN).select_for_update().values_list("pk", "status"))
        if not rows:
            return 0
        ids = [pk for pk, _ in rows]
        n = Task.objects.filter(pk__in=ids, status__in=OPEN).update(
            status=Task.Status.CANCELLED, cancel_reason=reason[:300], version=F("version") + 1,
            updated_at=timezone.now(),
        )
        TaskEvent.objects.bulk_create(
            [
                TaskEvent(task_id=pk, kind=TaskEvent.Kind.CANCELLED, actor=actor, message=reason,
                          data={"cause": cause, "ref": ref, "from": status})
                for pk, status in rows
            ],
            batch_size=2000,
        )
        return n


def restore_cancelled(queryset, *, actor, cause: str, ref=None, today: date | None = None, message: str = "") -> int:
    """Reopen the tasks of ``queryset`` that ``cause``/``ref`` cancelled, if not yet due."""
    today = today or timezone.localdate()
    with transaction.atomic():
        events = TaskEvent.objects.filter(
            task__in=queryset.filter(status=Task.Status.CANCELLED, due_date__gte=today),
            kind=TaskEvent.Kind.CANCELLED, data__cause=cause,
        )
        if ref is not None:
            events = events.filter(data__ref=ref)
        previous: dict[int, str] = {}
        for task_id, data in events.order_by("at", "id").values_list("task_id", "data"):
            previous[task_id] = (data or {}).get("from") or Task.Status.PENDING
        by_status = defaultdict(list)
        for task_id, status in previous.items():
            by_status[status].append(task_id)
        n = 0
        for status, ids in by_status.items():
            n += Task.objects.filter(pk__in=ids, status=Task.Status.CANCELLED).update(
                status=status, cancel_reason="", version=F("version") + 1, updated_at=timezone.now()
            )
        TaskEvent.objects.bulk_create(
            [TaskEvent(task_id=pk, kind=TaskEvent.Kind.REOPENED, actor=actor, message=message, data={"cause": cause, "ref": ref})
             for pk in previous],
            batch_size=2000,
        )
        return n


def not_started(queryset, today: date):
    return queryset.filter(status=Task.Status.PENDING, note="", period_start__gt=today, evidence__isnull=True)


def resnapshot(item: ChecklistItem, *, actor, today: date | None = None) -> int:
    """Give the not-yet-started tasks of ``item`` its current text and due dates."""
    today = today or timezone.localdate()
    with transaction.atomic():
        ids = list(not_started(item_tasks(item), today).values_list("pk", flat=True))
        if not ids:
            return 0
        snap = snapshot(item)
        snap.pop("frequency")
        n = Task.objects.filter(pk__in=ids, status=Task.Status.PENDING).update(
            **snap, version=F("version") + 1, updated_at=timezone.now()
        )
        for p in item_periods(item, item.checklist.year):
            Task.objects.filter(pk__in=ids, period_start=p.start, extension_count=0).exclude(due_date=p.due).update(
                due_date=p.due, original_due_date=p.due
            )
        TaskEvent.objects.bulk_create(
            [TaskEvent(task_id=pk, kind=TaskEvent.Kind.UPDATED, actor=actor, message=item.title,
                       data={"cause": "item_edited", "item": item.pk, "lock_version": item.lock_version}) for pk in ids],
            batch_size=2000,
        )
        return n


def reschedule_holiday_items(items, old_holidays, new_holidays, year: int, *, actor, today: date | None = None) -> int:
    """After a holiday correction: move not-started 节点 tasks to the new periods (matched by label)."""
    today = today or timezone.localdate()
    moved = 0
    for item in items:
        old = {p.label: p for p in item_periods(item, year, old_holidays)}
        new = {p.label: p for p in item_periods(item, year, new_holidays)}
        for label, p in new.items():
            o = old.get(label)
            if o is None or o == p:
                continue
            qs = not_started(item_tasks(item), today).filter(period_start=o.start, extension_count=0)
            try:
                with transaction.atomic():
                    moved += Task.objects.filter(pk__in=list(qs.values_list("pk", flat=True))).update(
                        period_start=p.start, period_end=p.end, due_date=p.due, original_due_date=p.due,
                        version=F("version") + 1, updated_at=timezone.now(),
                    )
            except IntegrityError:
                continue  # a task already holds the new period: leave this one as issued
    return moved
