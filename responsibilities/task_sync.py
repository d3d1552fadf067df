"""What a change to a list does to the tasks it already produced — which tasks and
what changes; ``tasks.services`` makes the change (lock, ``version + 1``, a TaskEvent,
history and audit row per task, reminders stopped for cancelled tasks).

* cancel: an item switched off for an org (opt-out), an item deactivated, a
  list archived — open tasks (pending / returned) are cancelled with a reason;
  never deleted (``tasks.services.cancel_tasks`` on ``item_tasks`` /
  ``event_tasks``);
* restore: switching back on reopens the tasks that change cancelled, if
  their due date has not passed (``tasks.services.restore_tasks``);
* resnapshot: editing an item of a published list rewrites the text (and due
  date) of its tasks not yet started — pending, no note, no file, period not
  begun; past and current periods keep what they were issued with;
* reschedule: a corrected holiday moves the not-yet-started 节点 tasks.
"""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError
from django.utils import timezone

from tasks import services as task_services
from tasks.generation import item_periods, snapshot
from tasks.models import Task

from .models import ChecklistItem


def item_tasks(item: ChecklistItem):
    """Tasks generated from ``item`` by period (not on-demand dispatches)."""
    return Task.objects.filter(source_type=ContentType.objects.get_for_model(ChecklistItem), source_id=item.pk)


def event_tasks(item: ChecklistItem):
    from .models import EventDispatch

    ids = list(item.dispatches.values_list("pk", flat=True))
    return Task.objects.filter(source_type=ContentType.objects.get_for_model(EventDispatch), source_id__in=ids)


def not_started(queryset, today: date):
    return queryset.filter(status=Task.Status.PENDING, note="", period_start__gt=today, evidence__isnull=True)


def resnapshot(item: ChecklistItem, *, actor, today: date | None = None) -> int:
    """Give the not-yet-started tasks of ``item`` its current text and, unless
    extended, the due date of their period."""
    today = today or timezone.localdate()
    tasks = not_started(item_tasks(item), today)
    snap = snapshot(item)
    snap.pop("frequency")
    data = {"cause": "item_edited", "item": item.pk, "lock_version": item.lock_version}
    due = {p.start: p.due for p in item_periods(item, item.checklist.year)}
    moved = [pk for pk, start, due_date, extensions in tasks.values_list("pk", "period_start", "due_date", "extension_count")
             if not extensions and start in due and due_date != due[start]]
    n = 0
    for start, new_due in due.items():
        n += task_services.update_tasks(
            tasks.filter(pk__in=moved, period_start=start), {**snap, "due_date": new_due, "original_due_date": new_due},
            actor=actor, message=item.title, **data,
        )
    n += task_services.update_tasks(tasks.exclude(pk__in=moved), snap, actor=actor, message=item.title, **data)
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
                moved += task_services.update_tasks(
                    qs, {"period_start": p.start, "period_end": p.end, "due_date": p.due, "original_due_date": p.due},
                    actor=actor, message=item.title, cause="holiday_moved", item=item.pk, label=label,
                )
            except IntegrityError:
                continue  # a task already holds the new period: leave this one as issued
    return moved
