"""A task that is submitted, approved, cancelled, reassigned or extended stops its pending
reminders at once (the TaskEvent is written by the tasks services in the same transaction;
their bulk changes, which write events without signals, call ``stop_task_reminders``)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from tasks.models import TaskEvent

from .services.stops import stop_task_reminders

STOP_EVENTS = {
    TaskEvent.Kind.SUBMITTED,
    TaskEvent.Kind.APPROVED,
    TaskEvent.Kind.CANCELLED,
    TaskEvent.Kind.REASSIGNED,
    TaskEvent.Kind.EXTENDED,
}


@receiver(post_save, sender=TaskEvent, dispatch_uid="notifications.cancel_on_task_event")
def _task_event_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.kind in STOP_EVENTS:
        stop_task_reminders([instance.task_id], instance.kind)
