from django.conf import settings
from django.db import models


class ReviewOpening(models.Model):
    """A reviewer opened a submitted task's page and saw it as it was then: its ``version``
    and its newest timeline event (``last_event``: evidence added or removed writes an event
    but keeps the version). One row per reviewer and task, rewritten at each opening.
    Approving several tasks at once accepts only tasks whose row still matches them
    (tasks.openings)."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    last_event = models.PositiveBigIntegerField(default=0)
    opened_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reviewer", "task"], name="one_opening_per_reviewer_task")]

    def __str__(self):
        return f"{self.reviewer_id} → {self.task_id} v{self.version}"
