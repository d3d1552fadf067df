"""The review queue: what waits for a reviewer, under the queue's filters, oldest first.

The filters (``org``: one organisation; ``files=1``: only tasks with evidence) travel with
the reviewer from the queue to a task's page and on to the next item (``QueueFilters``:
read from a query string or a form, written back as one), so 下一项 walks the same list."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse

from accounts.params import query_id

from .models import Evidence, Task

FROM_QUEUE = "queue"  # ``?from=queue`` on a task's page: opened from the queue


@dataclass(frozen=True)
class QueueFilters:
    org: int | None = None
    files: bool = False

    @classmethod
    def read(cls, params) -> "QueueFilters":
        return cls(org=query_id(params.get("org")), files=params.get("files") == "1")

    def params(self) -> dict:
        return {k: v for k, v in (("org", self.org), ("files", "1" if self.files else None)) if v}

    def query(self) -> str:
        return urlencode(self.params())

    def queue_url(self) -> str:
        query = self.query()
        return reverse("tasks:review_queue") + (f"?{query}" if query else "")

    def from_query(self) -> str:
        """The query string of a task's page opened from the queue under these filters."""
        return urlencode({"from": FROM_QUEUE, **self.params()})

    def task_url(self, pk) -> str:
        return reverse("tasks:detail", args=[pk]) + "?" + self.from_query()


def live_files():
    """How many evidence files (not removed) a task has: an annotation."""
    return Subquery(Evidence.objects.filter(task=OuterRef("pk"), removed_at__isnull=True)
                    .values("task").annotate(n=Count("id")).values("n")[:1])


def waiting(user, filters: QueueFilters = QueueFilters()):
    """The tasks waiting for ``user``'s review (never their own submissions), filtered."""
    tasks = Task.objects.restrict(user, "review").filter(status=Task.Status.SUBMITTED).exclude(submitted_by=user)
    if filters.org:
        tasks = tasks.filter(org_id=filters.org)
    if filters.files:
        tasks = tasks.filter(Exists(Evidence.objects.filter(task=OuterRef("pk"), removed_at__isnull=True)))
    return tasks


def next_after(task, user, filters: QueueFilters):
    """The id of the item after ``task`` in ``user``'s queue (oldest first), or None."""
    tasks = waiting(user, filters).exclude(pk=task.pk)
    if task.submitted_at is not None:
        tasks = tasks.filter(Q(submitted_at__gt=task.submitted_at) | Q(submitted_at=task.submitted_at, pk__gt=task.pk))
    return tasks.order_by("submitted_at", "id").values_list("pk", flat=True).first()
