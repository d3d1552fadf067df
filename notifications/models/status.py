"""A per-person channel switched off because its provider refused the configured credentials
(an SMS gateway's API key, a work app's secret). Group robots keep their own status on Webhook."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelStatus(models.Model):
    """One row per channel code, written when the channel is disabled. The channel stays off while
    its credentials are the ones that were refused (``fingerprint``); once the operator configures
    new ones it is on again, without anyone clicking anything."""

    code = models.CharField(_("channel"), max_length=16, unique=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("channel status")
        verbose_name_plural = _("channel status")

    def __str__(self):
        return self.code
