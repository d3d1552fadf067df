"""The outbox: one row per (reminder, recipient, channel). The database — not the
broker — is the source of truth for what must be sent and what was sent.

Exactly once comes from two things:
* ``key`` is UNIQUE, and rows are written with ``bulk_create(ignore_conflicts=True)``,
  so a sweep that runs twice (two beats, a retry) writes each reminder once;
* a sender *claims* a row (pending → sending, with its claim token) before it
  delivers, and marks it sent after; two senders never hold the same row.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.scope import restricted_manager
from tasks.models.task import task_rules


class Kind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    ESCALATION = "escalation", _("Escalation")
    DIGEST = "digest", _("Weekly digest")
    HOLIDAY = "holiday", _("Pre-holiday integrity reminder")
    SYSTEM = "system", _("System notice")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    REOPENED = "reopened", _("Reopened")
    EXTENSION_ASKED = "ext_asked", _("Extension requested")
    EXTENSION_DECIDED = "ext_decided", _("Extension decided")


# Kinds about one task, addressed to the people who carry it.
TASK_KINDS = (Kind.DUE_SOON, Kind.DUE_TODAY, Kind.OVERDUE)
# Reminders about one task's due date (stopped when the task no longer needs them).
REMINDER_KINDS = (Kind.DUE_SOON, Kind.DUE_TODAY, Kind.OVERDUE, Kind.ESCALATION)
# Kinds that tell the next person in the loop that a task changed hands (one row per event,
# recipient and channel); they cannot be muted.
EVENT_KINDS = (Kind.SUBMITTED, Kind.RETURNED, Kind.APPROVED, Kind.REOPENED, Kind.EXTENSION_ASKED, Kind.EXTENSION_DECIDED)
# Kinds a user may switch off (escalations addressed to them cannot be).
MUTABLE_KINDS = (Kind.DUE_SOON, Kind.DUE_TODAY, Kind.OVERDUE, Kind.DIGEST, Kind.HOLIDAY)


class State(models.TextChoices):
    PENDING = "pending", pgettext_lazy("outbox state", "Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")
    CANCELLED = "cancelled", _("Cancelled")


class Outbox(models.Model):
    Kind = Kind
    State = State

    # Unique through Meta.constraints, not unique=True: on PostgreSQL that would add a second
    # (varchar_pattern_ops "_like") index nothing uses, on the table the sweep writes most.
    key = models.CharField(_("key"), max_length=160)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=16)
    # No database FOREIGN KEY on task and recipient (db_constraint=False): the sweep writes
    # hundreds of thousands of rows a day, and each row's deferred FK check (a key-share lock on
    # the task row and on the user row) cost more than a third of the whole insert (bench/
    # reminders.py: 3.1 s of 8.6 s for 291,504 rows). Both links are written only by the sweep
    # from rows it has just read, tasks and users are never hard-deleted (deactivated instead),
    # and on_delete=PROTECT still guards an ORM delete.
    # the rows about a task the user sees (a row without a task — a system message — is kept only
    # for a user who sees every org; the delivery log adds them for county staff)
    objects = restricted_manager("task__org", task_rules("task__"))
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="reminders", verbose_name=_("task"),
        db_index=False,  # outbox_task_idx
        db_constraint=False,
    )
    task_due_date = models.DateField(_("due date when queued"), null=True, blank=True)
    business_date = models.DateField(_("business date"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=pgettext_lazy("person", "recipient"),
        db_constraint=False,  # see task
        db_index=False,  # outbox_recipient_idx
    )
    webhook = models.ForeignKey(
        "notifications.Webhook", on_delete=models.PROTECT, null=True, blank=True, related_name="outbox",
        verbose_name=_("group robot"),
        db_index=False,  # outbox_webhook_idx: only group rows (most rows are to people)
    )
    data = models.JSONField(default=dict, blank=True)
    # The message a reminder row was (or is being) delivered in: every reminder row of one person
    # on one channel claimed together carries the same value (services/envelopes.py). NULL until
    # claimed, and for rows delivered one by one (notices, digests).
    envelope = models.CharField(_("message"), max_length=64, null=True, blank=True)
    due_at = models.DateTimeField(_("send at"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    attempt_started_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    response = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbox row")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(state="pending"), name="outbox_pending_due_idx"),
            models.Index(fields=["claimed_at"], condition=models.Q(state="sending"), name="outbox_sending_idx"),
            # A task's rows (cancelled when the task closes). One bigint column: the sweep's
            # anti-join goes through outbox_kind_date_idx, not this one.
            models.Index(fields=["task"], name="outbox_task_idx"),
            # The sweep's anti-join (a rule's rows of one day) and the digest / holiday key look-ups.
            models.Index(fields=["kind", "business_date"], name="outbox_kind_date_idx"),
            # Partial: only group-robot rows; the rows to people (nearly all) skip it.
            models.Index(fields=["webhook"], condition=models.Q(webhook__isnull=False), name="outbox_webhook_idx"),
            models.Index(fields=["state", "channel"], name="outbox_state_channel_idx"),
            # A person's rows on one channel in one state: an envelope's claim (their pending
            # rows) and the daily cap (their rows sent today). Replaces the plain recipient index.
            models.Index(fields=["recipient", "channel", "state"], name="outbox_recipient_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["key"], name="outbox_key_uniq")]

    def __str__(self):
        return self.key

    @property
    def is_group(self) -> bool:
        return self.webhook_id is not None

    def get_channel_display(self) -> str:
        """The channel's name in the reader's language (the channel registry's label)."""
        from .. import channels

        try:
            return channels.get(self.channel).label()
        except KeyError:
            return self.channel
