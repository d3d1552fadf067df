"""A task that is submitted, approved, cancelled, reassigned or extended stops its pending
reminders at once (the TaskEvent is written by the tasks services in the same transaction).
Changes made without an event (bulk updates) are caught by the sender's re-check."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from tasks.models import TaskEvent

from .models import Outbox, State

STOP_EVENTS = {
    TaskEvent.Kind.SUBMITTED,
    TaskEvent.Kind.APPROVED,
    TaskEvent.Kind.CANCELLED,
    TaskEvent.Kind.REASSIGNED,
    TaskEvent.Kind.EXTENDED,
}


def cancel_pending(task_id: int, reason: str) -> int:
    return Outbox.objects.filter(task_id=task_id, state=State.PENDING).update(
        state=State.CANCELLED, last_error=f"task {reason}"
    )


@receiver(post_save, sender=TaskEvent, dispatch_uid="notifications.cancel_on_task_event")
def _task_event_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.kind in STOP_EVENTS:
        cancel_pending(instance.task_id, instance.kind)
