"""Reminders a task no longer needs: a submitted, approved, cancelled, reassigned or
extended task stops its pending reminder rows at once (the sender's re-check catches
the rest). Notices of the task's own events (returned, approved …) are not reminders: they stay."""

from ..models import REMINDER_KINDS, Outbox, State


def stop_task_reminders(task_ids, reason: str) -> int:
    """Mark the pending outbox rows of ``task_ids`` cancelled; returns how many."""
    ids = list(task_ids)
    if not ids:
        return 0
    return Outbox.objects.filter(task_id__in=ids, kind__in=REMINDER_KINDS, state=State.PENDING).update(
        state=State.CANCELLED, last_error=f"task {reason}"[:1000]
    )
