"""The hub: everything an org owes by a date is a Task.

A task's *source* is whatever produced it — a duty-list item today; a
rectification measure, a document's required reply or a 回头看 re-check from
``inspections`` — through a generic relation, so new sources need no change here.
Title, requirement, hint, category and points are snapshotted at generation:
past periods keep the text they were issued with."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import restricted_manager
from responsibilities.choices import Bearer, Category, Frequency


def task_rules(via: str = "") -> dict:
    """Who reaches a task (``via``: the path to it from a model that hangs off one): whoever
    views its org or reviews its review org sees it — the list, the page and its files alike —
    and reviewing it is for its review org's reviewers."""
    return {
        "view": ((f"{via}org", "view"), (f"{via}review_org", "review")),
        "review": ((f"{via}review_org", "review"),),
    }


class Task(models.Model):
    class Kind(models.TextChoices):
        DUTY = "duty", _("Duty item")
        RECTIFICATION = "rectification", _("Rectification measure")
        REPLY = "reply", _("Required reply")
        RECHECK = "recheck", _("Follow-up check")
        RISK_REVIEW = "risk_review", _("Integrity-risk review")
        LETTER = "letter", _("Responsibility letter")

    class Status(models.TextChoices):
        PENDING = "pending", _("To do")
        SUBMITTED = "submitted", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.PENDING, Status.RETURNED)
    DONE_STATUSES = (Status.SUBMITTED, Status.APPROVED)

    objects = restricted_manager(rules=task_rules())

    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DUTY)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")

    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_label = models.CharField(_("period"), max_length=40)
    due_date = models.DateField(_("due date"))
    original_due_date = models.DateField(_("original due date"))

    title = models.CharField(_("item"), max_length=300)
    requirement = models.TextField(_("requirement"), blank=True)
    evidence_hint = models.CharField(_("ledger hint"), max_length=200, blank=True)
    category = models.CharField(_("responsibility category"), max_length=16, choices=Category.choices, blank=True)
    frequency = models.CharField(_("frequency"), max_length=1, choices=Frequency.choices, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal("0"))

    bearer = models.CharField(_("bearer"), max_length=16, choices=Bearer.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="assigned_tasks", verbose_name=_("assigned to"),
    )
    review_org = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
        related_name="tasks_to_review", verbose_name=_("reviewing organisation"),
    )

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    note = models.TextField(_("what was done"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    return_reason = models.TextField(_("reason for return"), blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("extensions"), default=0)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "source_type", "source_id", "period_start"],
                condition=models.Q(assignee__isnull=True),
                name="task_unique_source_period",
            ),
            models.UniqueConstraint(
                fields=["org", "source_type", "source_id", "period_start", "assignee"],
                condition=models.Q(assignee__isnull=False),
                name="task_unique_source_period_assignee",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="task_open_due_idx"),
            models.Index(fields=["org", "period_start"], name="task_org_period_idx"),
            # an org's tasks due in a window (the own rows of the dashboard, progress, workbook):
            # without it a province reads a whole year of every org's dates to keep a few orgs'
            models.Index(fields=["org", "due_date"], name="task_org_due_idx"),
            models.Index(fields=["review_org", "status"], name="task_review_idx"),
            models.Index(fields=["assignee", "status"], name="task_assignee_idx"),
            models.Index(fields=["source_type", "source_id"], name="task_source_idx"),
            # tasks:list pages in (due_date, id) order: read in index order, stop after a page
            models.Index(fields=["due_date", "id"], name="task_due_id_idx"),
            # a year's 目标责任书 tasks (the letters' cascade and its task lists): a few per org
            # among a province's millions
            models.Index(fields=["due_date"], condition=models.Q(kind="letter"), name="task_letter_due_idx"),
        ]

    def __str__(self):
        return f"{self.org} · {self.title} · {self.period_label}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class TaskEvent(models.Model):
    """The task's timeline, written by the same service functions that change it."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        NOTE_SAVED = "note_saved", _("Note saved")
        FILE_ADDED = "file_added", _("File added")
        FILE_REMOVED = "file_removed", _("File removed")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Reopened")
        EXTENSION_REQUESTED = "ext_requested", _("Extension requested")
        EXTENDED = "extended", _("Extended")
        EXTENSION_REFUSED = "ext_refused", _("Extension refused")
        CANCELLED = "cancelled", _("Cancelled")
        REASSIGNED = "reassigned", _("Reassigned")
        UPDATED = "updated", _("Updated")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["task", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class ExtensionRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    objects = restricted_manager("task__org", task_rules("task__"))

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason"))
    requested_due = models.DateField(_("requested due date"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    granted_due = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(status="pending"), name="one_pending_extension_per_task"
            )
        ]
