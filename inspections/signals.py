"""When a rectification task is approved anywhere (this app's verify view, or the tasks
app's review queue), close its finding and schedule the 回头看 in the same transaction.
Listens to TaskEvent rows, which every tasks.services change writes; the daily job
(refresh_open_findings) is the safety net."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from tasks.models import Task, TaskEvent


@receiver(post_save, sender=TaskEvent, dispatch_uid="inspections.measure_approved")
def measure_approved(sender, instance, created, **kwargs):
    if not created or instance.kind != TaskEvent.Kind.APPROVED:
        return
    task = Task.objects.filter(pk=instance.task_id, kind=Task.Kind.RECTIFICATION).only("id", "kind").first()
    if task is None:
        return
    from .models import Measure
    from .services import refresh_finding

    measure = Measure.objects.filter(task_id=task.pk).select_related("finding").first()
    if measure is not None:
        refresh_finding(measure.finding, actor=instance.actor)
