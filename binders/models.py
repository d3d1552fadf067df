"""A 年度台账 binder: one org's (or a subtree's) year or quarter of tasks with their
evidence, as a PDF and a .zip of the original files, built by a Celery job."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.jobs import TrackedJob
from accounts.scope import restricted_manager
from tasks.periods import quarter_spans, year_span


class Binder(TrackedJob):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        REPLACED = "replaced", _("Replaced by a newer binder")
        INTERRUPTED = "interrupted", _("Interrupted")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    subtree = models.BooleanField(_("every organisation below"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    pdf = models.FileField(upload_to="binders/%Y/", blank=True, max_length=200)
    archive = models.FileField(upload_to="binders/%Y/", blank=True, max_length=200)
    pages = models.PositiveIntegerField(default=0)
    files_included = models.PositiveIntegerField(default=0)
    left_out = models.JSONField(default=list, blank=True)  # [{org, task, file, reason}]

    objects = restricted_manager()  # seen by whoever views the org (Binder.objects.restrict(user, "view"))

    class Meta:
        verbose_name = _("ledger binder")
        verbose_name_plural = _("ledger binders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "year", "quarter", "subtree", "status"], name="binder_key_idx")]

    def __str__(self):
        return f"{self.org} · {self.period_label}"

    @property
    def span(self):
        """(first day, last day, label) of the binder's quarter or year, as tasks.periods has them."""
        return quarter_spans(self.year)[self.quarter - 1] if self.quarter else year_span(self.year)[0]

    @property
    def period_label(self) -> str:
        return self.span[2]

    def is_whole(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REPLACED)

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
