"""The in-app inbox, and each user's choice of channels."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .outbox import Kind


class InboxMessage(models.Model):
    """A message in a user's inbox. Written only by the in-app channel, once per outbox row — for
    a grouped reminder, once per envelope (its first row), listing the envelope's tasks."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox", verbose_name=_("user"))
    outbox = models.OneToOneField(
        "notifications.Outbox", on_delete=models.PROTECT, null=True, blank=True, related_name="inbox_message"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A grouped reminder (one message for several tasks): the tasks listed, most urgent first,
    # as rendered at send time ({"task", "kind", "title", "when", "link", "colour"} each).
    items = models.JSONField(_("items"), default=list, blank=True)
    more = models.PositiveIntegerField(_("further items"), default=0)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="inbox_unread_idx"),
            models.Index(fields=["user", "-created_at"], name="inbox_user_created_idx"),
        ]

    def __str__(self):
        return self.title


class Preference(models.Model):
    """A user's channels. In-app is always on (and is the fallback); escalations cannot be muted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(_("also send by e-mail"), default=True)
    # a work app's personal messages (sent only to a person bound to a user id there)
    wecom_app_enabled = models.BooleanField(_("also send as a WeCom message"), default=True)
    dingtalk_app_enabled = models.BooleanField(_("also send as a DingTalk message"), default=True)
    sms_enabled = models.BooleanField(_("also send by SMS"), default=False)
    muted_kinds = models.JSONField(_("reminders I do not want"), default=list, blank=True)
    bounced_email = models.CharField(
        _("address that bounced"), max_length=254, blank=True,
        help_text=_("E-mail is not sent to this address again until the user's address changes."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)
