"""One registry of delivery channels; each channel is one class (healthchecks' TRANSPORTS).

User channels deliver one message per recipient (in-app, e-mail, a work app's personal
message); group channels post
one message per organisation's robot and batch (企业微信, 钉钉)."""

from django.utils.module_loading import import_string

from .base import AddressRefused, Channel, DeliveryError, GroupChannel, Message, UserChannel

REGISTRY: dict[str, str] = {
    "inapp": "notifications.channels.inapp.InAppChannel",
    "email": "notifications.channels.email.EmailChannel",
    "wecom": "notifications.channels.wecom.WeComChannel",
    "dingtalk": "notifications.channels.dingtalk.DingTalkChannel",
    "wecom_app": "notifications.channels.workapp.WeComAppChannel",
    "dingtalk_app": "notifications.channels.workapp.DingTalkAppChannel",
}
USER_CHANNELS = ("inapp", "email", "wecom_app", "dingtalk_app")
GROUP_CHANNELS = ("wecom", "dingtalk")

_instances: dict[str, Channel] = {}


def get(code: str) -> Channel:
    if code not in _instances:
        if code not in REGISTRY:
            raise KeyError(f"unknown channel {code!r}")
        _instances[code] = import_string(REGISTRY[code])()
    return _instances[code]


def choices():
    return [(code, get(code).label()) for code in REGISTRY]


__all__ = ["AddressRefused", "Channel", "DeliveryError", "GroupChannel", "Message", "UserChannel", "REGISTRY", "get", "choices",
           "USER_CHANNELS", "GROUP_CHANNELS"]
