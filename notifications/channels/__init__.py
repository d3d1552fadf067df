"""One registry of delivery channels; each channel is one class (healthchecks' TRANSPORTS).

User channels deliver one message per recipient (in-app, e-mail, SMS, a work app's personal
message) — a person's due reminders on one channel travel together as one message
(services/envelopes.py); group channels post
one message per organisation's robot and batch (企业微信, 钉钉)."""

from django.utils.module_loading import import_string

from .base import AddressRefused, Channel, DeliveryError, GroupChannel, Message, UserChannel

REGISTRY: dict[str, str] = {
    "inapp": "notifications.channels.inapp.InAppChannel",
    "email": "notifications.channels.email.EmailChannel",
    "sms": "notifications.channels.sms.SmsChannel",
    "wecom": "notifications.channels.wecom.WeComChannel",
    "dingtalk": "notifications.channels.dingtalk.DingTalkChannel",
    "wecom_app": "notifications.channels.workapp.WeComAppChannel",
    "dingtalk_app": "notifications.channels.workapp.DingTalkAppChannel",
}
USER_CHANNELS = ("inapp", "email", "sms", "wecom_app", "dingtalk_app")
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
