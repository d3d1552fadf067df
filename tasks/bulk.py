"""Changing many tasks at once (a list published, an item switched off or on or edited, a
holiday corrected): the rows are locked and read again, each gets
``version + 1`` and its own event, history and audit row (tasks.records); cancelled tasks
stop their pending reminders."""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.services import stop_task_reminders

from .models import Task, TaskEvent
from .records import record_many

S = Task.Status


def locked(tasks, **filters) -> dict[int, str]:
    """The tasks of ``tasks`` (a queryset) matching ``filters``, locked for this transaction
    and read again once locked (a task changed meanwhile is judged as it is now): id → status."""
    ids = list(tasks.filter(**filters).order_by().values_list("pk", flat=True).distinct())
    if not ids:
        return {}
    list(Task.objects.filter(pk__in=ids).order_by("pk").select_for_update().values_list("pk", flat=True))
    return dict(tasks.filter(pk__in=ids, **filters).order_by().values_list("pk", "status").distinct())


def set_fields(ids, **fields) -> int:
    """Write ``fields`` on the tasks ``ids`` as one change of each: ``version + 1``, ``updated_at``."""
    return Task.objects.filter(pk__in=ids).update(**fields, version=F("version") + 1, updated_at=timezone.now())


def cancel_tasks(tasks, *, actor, reason: str, cause: str, ref=None) -> int:
    """Cancel the open tasks (pending / returned) of the queryset ``tasks`` — never a
    delete — and stop their pending reminders; returns how many. ``cause`` and ``ref``
    (e.g. ``"optout"`` and the opt-out's id) let ``restore_tasks`` find them again."""
    with transaction.atomic():
        previous = locked(tasks, status__in=Task.OPEN_STATUSES)
        if not previous:
            return 0
        ids = list(previous)
        n = set_fields(ids, status=S.CANCELLED, cancel_reason=reason[:300])
        record_many(ids, TaskEvent.Kind.CANCELLED, actor, reason, cause=cause, ref=ref,
                     data_for=lambda pk: {"from": previous[pk]})
        stop_task_reminders(ids, TaskEvent.Kind.CANCELLED)
        return n


def restore_tasks(tasks, *, actor, cause: str, ref=None, today: date | None = None, message: str = "") -> int:
    """Reopen the tasks of the queryset ``tasks`` that ``cancel_tasks(cause=…, ref=…)``
    cancelled, in the status they had, if not yet due; returns how many."""
    today = today or timezone.localdate()
    with transaction.atomic():
        ids = list(locked(tasks, status=S.CANCELLED, due_date__gte=today))
        events = TaskEvent.objects.filter(task_id__in=ids, kind=TaskEvent.Kind.CANCELLED, data__cause=cause)
        if ref is not None:
            events = events.filter(data__ref=ref)
        previous: dict[int, str] = {}
        for task_id, data in events.order_by("at", "id").values_list("task_id", "data"):
            previous[task_id] = (data or {}).get("from") or S.PENDING
        if not previous:
            return 0
        for status in set(previous.values()):
            set_fields([pk for pk, s in previous.items() if s == status], status=status, cancel_reason="")
        record_many(list(previous), TaskEvent.Kind.REOPENED, actor, message, cause=cause, ref=ref)
        return len(previous)


def update_tasks(tasks, fields: dict, *, actor, message: str = "", **data) -> int:
    """Set ``fields`` on the tasks of the queryset ``tasks`` (locked first, so a task
    changed meanwhile by its bearer is judged by the queryset's own filters); an
    ``updated`` event per task; returns how many. A new due date stops the reminders
    queued for the old one. A unique-key clash raises ``IntegrityError`` and changes
    nothing."""
    with transaction.atomic():
        ids = list(locked(tasks))
        if not ids:
            return 0
        n = set_fields(ids, **fields)
        record_many(ids, TaskEvent.Kind.UPDATED, actor, message, **data)
        if "due_date" in fields:
            stop_task_reminders(ids, TaskEvent.Kind.UPDATED)
        return n
