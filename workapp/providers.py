"""The work-app providers: their codes, names and the settings that switch them on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    WECOM = "wecom", _("WeCom")
    DINGTALK = "dingtalk", _("DingTalk")


# the personal-message channel of each provider (notifications.channels)
CHANNEL = {Provider.WECOM: "wecom_app", Provider.DINGTALK: "dingtalk_app"}
PROVIDER_OF_CHANNEL = {channel: provider for provider, channel in CHANNEL.items()}


def corp_id(provider: str) -> str:
    """The corp id (企业微信) or app key (钉钉); "" → the provider is not configured."""
    return settings.QINGDAN_WECOM_CORP_ID if provider == Provider.WECOM else settings.QINGDAN_DINGTALK_APP_KEY


def agent_id(provider: str) -> str:
    return settings.QINGDAN_WECOM_AGENT_ID if provider == Provider.WECOM else settings.QINGDAN_DINGTALK_AGENT_ID


def configured(provider: str) -> bool:
    return bool(corp_id(provider))


def configured_providers() -> list[str]:
    return [p for p in Provider.values if configured(p)]


def label(provider: str) -> str:
    return str(Provider(provider).label)
