"""Which submitted tasks a reviewer has opened, as they are now.

Opening a task's page as its reviewer writes (or rewrites) a ``ReviewOpening``: the task's
version and newest timeline event at that moment. A task counts as *seen* by a reviewer
while both still match — a resubmission bumps the version, a file added or removed writes
an event. Approving several tasks at once (tasks.services.approve_opened) takes only seen
tasks; the review queue shows the same annotation."""

from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import ReviewOpening, TaskEvent


def record(task, user, events) -> None:
    """``user`` opened ``task`` (its ``events`` as the page shows them): one upsert."""
    last = max((e.pk for e in events), default=0)
    ReviewOpening.objects.bulk_create(
        [ReviewOpening(reviewer=user, task=task, version=task.version, last_event=last, opened_at=timezone.now())],
        update_conflicts=True, unique_fields=["reviewer", "task"], update_fields=["version", "last_event", "opened_at"],
    )


def with_seen(tasks, user):
    """``tasks`` (a Task queryset) annotated ``seen``: ``user`` opened the task as it is now."""
    latest = Coalesce(Subquery(TaskEvent.objects.filter(task=OuterRef("pk")).order_by("-pk").values("pk")[:1]), Value(0))
    return tasks.annotate(latest_event=latest).annotate(seen=Exists(ReviewOpening.objects.filter(
        reviewer=user, task=OuterRef("pk"), version=OuterRef("version"), last_event=OuterRef("latest_event"))))
