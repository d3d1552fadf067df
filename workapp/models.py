"""Who a person is in a work app (bindings), the secrets kept on the administration site, and the
codes already used to sign in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.fields import EncryptedTextField

from .providers import Provider


class Binding(models.Model):
    """One person's user id in one work app: made by the onboarding import or by the person
    (signed in with their password, confirming). A user id binds at most one person."""

    class Via(models.TextChoices):
        IMPORT = "import", _("onboarding import")
        CONFIRMED = "confirmed", _("confirmed by the person")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workapp_bindings",
                             verbose_name=_("user"))
    provider = models.CharField(_("work app"), max_length=16, choices=Provider.choices)
    userid = models.CharField(_("user id in the work app"), max_length=64)
    via = models.CharField(_("bound by"), max_length=16, choices=Via.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("work-app binding")
        verbose_name_plural = _("work-app bindings")
        constraints = [
            models.UniqueConstraint(fields=["provider", "userid"], name="workapp_binding_userid_uniq"),
            models.UniqueConstraint(fields=["provider", "user"], name="workapp_binding_user_uniq"),
        ]

    def __str__(self):
        return f"{self.get_provider_display()} {self.userid}"


class Credential(models.Model):
    """A provider's secret set on the administration site (it wins over the environment's). The
    secret is stored encrypted and never shown again. A secret the provider refuses switches its
    messages off until the secret in force changes (notifications.models.ChannelStatus)."""

    provider = models.CharField(_("work app"), max_length=16, choices=Provider.choices, unique=True)
    secret = EncryptedTextField(_("secret"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("work-app secret")
        verbose_name_plural = _("work-app secrets")

    def __str__(self):
        return self.get_provider_display()


class UsedCode(models.Model):
    """A sign-in code already exchanged: a second use is refused, whatever the provider says."""

    provider = models.CharField(max_length=16, choices=Provider.choices)
    digest = models.CharField(max_length=64)  # sha256 of the code
    used_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "digest"], name="workapp_usedcode_uniq")]
        indexes = [models.Index(fields=["used_at"], name="workapp_usedcode_at_idx")]
