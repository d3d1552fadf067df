"""The work apps' personal-message channels: which are on (a provider whose secret was refused
is off, services.switches) and who can be reached on them. Whether one row can still go is
the channel's (channels.workapp.WorkAppChannel.unusable_for)."""

from workapp import providers
from workapp.models import Binding

from .switches import disabled_channels

def active_channels() -> list[str]:
    """Work-app channels that can send now: the provider configured and its secret not refused."""
    configured = [providers.CHANNEL[p] for p in providers.configured_providers()]
    if not configured:  # no query when no work app is set up
        return []
    disabled = disabled_channels(configured)
    return [c for c in configured if c not in disabled]


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
