"""Personal API tokens: a name, the sha256 of a random secret (the secret itself is shown once
and never stored), the first characters as a visible prefix, an expiry, last use, revocation."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX_LEN = 8
DEFAULT_DAYS = 90
MAX_DAYS = 365


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LEN)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")


    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        """Neither revoked nor expired: the one rule the authentication and the pages use."""
        return self.revoked_at is None and self.expires_at > timezone.now()

    @classmethod
    def issue(cls, user, name: str, days: int = DEFAULT_DAYS) -> tuple["ApiToken", str]:
        """A new token and its secret (returned once; only its hash is stored)."""
        secret = "qd_" + secrets.token_urlsafe(32)
        days = min(max(int(days), 1), MAX_DAYS)
        token = cls.objects.create(user=user, name=name, prefix=secret[:PREFIX_LEN], token_hash=digest(secret),
                                   expires_at=timezone.now() + timedelta(days=days))
        return token, secret
