"""The work apps' personal-message channels: which are on, who can be reached on them, and
switching a provider's messages off when it refuses the app's secret."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from workapp import providers
from workapp.models import Binding, Credential

from ..models import Outbox, State

CHANNELS = tuple(providers.CHANNEL.values())


def active_channels() -> list[str]:
    """Work-app channels that can send now: the provider configured and its secret not refused."""
    configured = providers.configured_providers()
    if not configured:  # no query when no work app is set up
        return []
    disabled = set(Credential.objects.filter(status=Credential.Status.DISABLED).values_list("provider", flat=True))
    return [providers.CHANNEL[p] for p in configured if p not in disabled]


def bound_user_ids(channels, user_ids=None) -> dict[str, set[int]]:
    """{channel: ids of the active users bound on its provider}."""
    out = {c: set() for c in channels}
    wanted = [providers.PROVIDER_OF_CHANNEL[c] for c in channels]
    if not wanted:
        return out
    qs = Binding.objects.filter(provider__in=wanted, user__is_active=True)
    if user_ids is not None:
        qs = qs.filter(user_id__in=user_ids)
    for uid, provider in qs.values_list("user_id", "provider"):
        out[providers.CHANNEL[provider]].add(uid)
    return out


def workapp_channels_of(user) -> list[str]:
    """The work-app channels this person can be reached on now."""
    channels = active_channels()
    bound = bound_user_ids(channels, [user.pk])
    return [c for c in channels if user.pk in bound[c]]


def stale_reason(row, pref) -> str:
    """Why a work-app row should no longer be sent ("" = send it)."""
    if row.channel not in active_channels():
        return _("The work app's messages are switched off.")
    if pref is not None and not getattr(pref, f"{row.channel}_enabled", True):
        return _("The recipient switched these work-app messages off.")
    provider = providers.PROVIDER_OF_CHANNEL[row.channel]
    if not Binding.objects.filter(user_id=row.recipient_id, provider=provider).exists():
        return _("The recipient has no bound work-app account.")
    return ""


def disable_workapp(provider: str, reason: str) -> bool:
    """The provider refused the app's credentials: switch its messages off, skip its pending rows
    and tell county staff in-app (once, until a new secret is saved)."""
    from .notices import notify_county_staff

    now = timezone.now()
    channel = providers.CHANNEL[provider]
    with transaction.atomic():
        credential, _created = Credential.objects.select_for_update().get_or_create(provider=provider)
        if credential.status == Credential.Status.DISABLED:
            return False
        Credential.objects.filter(pk=credential.pk).update(
            status=Credential.Status.DISABLED, disabled_reason=reason[:300], disabled_at=now)
        Outbox.objects.filter(channel=channel, state=State.PENDING).update(
            state=State.SKIPPED, last_error=_("The work app's messages are switched off."))
        audit.record("notifications.workapp_disabled", user=None, obj=credential, provider=provider, reason=reason[:300])
        name = providers.label(provider)
        notify_county_staff(
            key=f"workapp-disabled:{provider}:{int(now.timestamp())}",
            title=_("%(app)s messages switched off") % {"app": name},
            body=_("%(app)s refused the app's credentials, so no more messages are sent through it: %(reason)s\n"
                   "Ask the security administrator to save the correct secret on the administration site; "
                   "messages start again once it is saved.") % {"app": name, "reason": reason},
            link=reverse("notifications:log"),
        )
    return True
