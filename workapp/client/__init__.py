"""The work apps' server APIs, one module per provider; ``for_provider`` picks the client."""

from .base import ApiError, Client
from .dingtalk import DingTalkClient
from .wecom import WeComClient

CLIENTS = {"wecom": WeComClient, "dingtalk": DingTalkClient}


def for_provider(provider: str) -> Client:
    return CLIENTS[provider]()


__all__ = ["ApiError", "Client", "DingTalkClient", "WeComClient", "CLIENTS", "for_provider"]
