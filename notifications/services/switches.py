"""Switching a broken destination off: a group robot whose key is refused, or a per-person
channel (SMS, a work app) whose credentials are refused. Its pending rows are skipped and county
staff are told in-app, once."""

import logging

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from .. import channels
from ..models import ChannelStatus, Outbox, State, Webhook
from .notices import notify_county_staff

log = logging.getLogger(__name__)


def disable_webhook(webhook: Webhook, reason: str) -> bool:
    """Switch a broken robot off, skip its pending rows and tell county staff in-app (once)."""

    now = timezone.now()
    with transaction.atomic():
        changed = Webhook.objects.filter(pk=webhook.pk, status=Webhook.Status.ACTIVE).update(
            status=Webhook.Status.DISABLED, disabled_reason=reason[:300], disabled_at=now, last_error=reason[:300],
            version=F("version") + 1,
        )
        if not changed:
            return False
        Outbox.objects.filter(webhook=webhook, state=State.PENDING).update(
            state=State.SKIPPED, last_error=_("The group robot is disabled.")
        )
        audit.record("notifications.webhook_disabled", user=None, obj=webhook, org=webhook.org, reason=reason[:300])
        notify_county_staff(
            key=f"webhook-disabled:{webhook.pk}:{int(now.timestamp())}",
            title=_("Group robot disabled: %(org)s · %(kind)s") % {"org": webhook.org.name, "kind": webhook.get_kind_display()},
            body=_("Messages to this robot failed permanently and it was switched off: %(reason)s\n"
                   "Check the address and key, then enable it again on the group robots page.") % {"reason": reason},
            link=reverse("notifications:webhooks"), org=webhook.org,
        )
    log.warning("webhook %s disabled: %s", webhook.pk, reason)
    return True


def channel_disabled(code: str) -> str:
    """Why the per-person channel ``code`` is off ("" = on): it was disabled and is still
    configured with the credentials that were refused."""
    return disabled_channels([code]).get(code, "")


def disabled_channels(codes) -> dict[str, str]:
    """{code: why it is off} for those of ``codes`` that are off (one query when none is)."""
    rows = ChannelStatus.objects.filter(code__in=list(codes), disabled_at__isnull=False).values_list(
        "code", "reason", "fingerprint")
    return {code: reason or _("The channel is disabled.") for code, reason, fingerprint in rows
            if fingerprint == channels.get(code).fingerprint()}


def disable_channel(code: str, reason: str) -> bool:
    """Switch a per-person channel off for its current credentials, skip its pending rows and
    tell county staff (once per credentials)."""
    channel = channels.get(code)
    fingerprint = channel.fingerprint()
    now = timezone.now()
    with transaction.atomic():
        status, _created = ChannelStatus.objects.select_for_update().get_or_create(code=code)
        if status.disabled_at and status.fingerprint == fingerprint:
            return False
        status.disabled_at, status.reason, status.fingerprint = now, reason[:300], fingerprint
        status.save()
        Outbox.objects.filter(channel=code, state=State.PENDING).update(
            state=State.SKIPPED, last_error=_("The %(channel)s channel is disabled.") % {"channel": channel.label()}
        )
        audit.record("notifications.channel_disabled", user=None, channel=code, reason=reason[:300])
        notify_county_staff(
            key=f"channel-disabled:{code}:{fingerprint[:12]}",
            title=_("%(channel)s switched off") % {"channel": channel.label()},
            body=_("The provider refused the configured credentials, so no message is sent on this channel: "
                   "%(reason)s\n%(remedy)s") % {"reason": reason, "remedy": channel.remedy()},
            link=reverse("notifications:log") + f"?channel={code}",
        )
    log.warning("channel %s disabled: %s", code, reason)
    return True
