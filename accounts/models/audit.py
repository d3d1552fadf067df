"""Append-only audit trail. The database refuses UPDATE and DELETE (migration 0002); each row
carries an HMAC-SM3 over its content and the previous row's MAC (accounts/audit_chain.py), so an
edit or a deletion made around the triggers is detected by ``manage.py verify_audit``."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Result(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")
        DENIED = "denied", _("Denied")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, default=Result.SUCCESS)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    # the hash chain: position, the MAC of the row before, this row's MAC and the id of its key
    seq = models.BigIntegerField(_("sequence"), unique=True, null=True, editable=False)
    prev_mac = models.CharField(max_length=64, blank=True, editable=False)
    mac = models.CharField(max_length=64, blank=True, editable=False)
    mac_key = models.CharField(max_length=8, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        """A new row is sealed into the hash chain as it is written."""
        if self._state.adding and self.seq is None:
            from ..audit_chain import append

            append([self], lambda: super(AuditEvent, self).save(*args, **kwargs))
        else:
            super().save(*args, **kwargs)


class AuditChainHead(models.Model):
    """The one row (pk 1) holding the chain's last position and MAC, and its anchor: the
    position and MAC of the last row the retention purge removed. Locked by every append,
    so concurrent writers take their turn. ``state_mac`` seals the row itself, so the last
    rows of the trail cannot be removed with the head set back."""

    seq = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, blank=True)
    anchor_seq = models.BigIntegerField(default=0)
    anchor_mac = models.CharField(max_length=64, blank=True)
    state_key = models.CharField(max_length=8, blank=True)
    state_mac = models.CharField(max_length=64, blank=True)

    class Meta:
        default_permissions = ()
