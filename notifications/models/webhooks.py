"""Group robots (企业微信 / 钉钉) configured per organisation by county staff."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scope import restricted_manager


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class WebhookStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISABLED = "disabled", _("Disabled")
    REMOVED = "removed", _("Removed")


class Webhook(models.Model):
    """The URL (it carries the robot's key) and the signing secret are stored, used,
    and never shown again: pages show them masked as "set"."""

    Kind = WebhookKind
    Status = WebhookStatus

    objects = restricted_manager()

    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="webhooks", verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=16, choices=WebhookKind.choices)
    url = models.CharField(_("webhook address"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=WebhookStatus.choices, default=WebhookStatus.ACTIVE)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["org__path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind"], condition=~models.Q(status="removed"), name="webhook_one_per_org_kind"
            )
        ]

    def __str__(self):
        return f"{self.org} · {self.get_kind_display()}"

    @property
    def masked_url(self) -> str:
        """Scheme, host and path only: the query string carries the robot's key."""
        parts = urlsplit(self.url)
        if not parts.scheme or not parts.hostname:
            return "••••"
        return f"{parts.scheme}://{parts.hostname}{parts.path}{'?••••' if parts.query else ''}"

    @property
    def has_secret(self) -> bool:
        return bool(self.secret)
