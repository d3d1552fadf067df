"""A large export (a whole year of every task in the reader's scope, for the archive),
run by Celery with progress shown on the page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.jobs import TrackedJob
from accounts.scope import restricted_manager


class Export(TrackedJob):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        INTERRUPTED = "interrupted", _("Interrupted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    objects = restricted_manager()

    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="exports/%Y/", blank=True)

    class Meta:
        ordering = ["-created_at"]
