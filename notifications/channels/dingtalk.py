"""钉钉 group robot: POST {"msgtype": "markdown", "markdown": {"title", "text"}}, signed.

Signing (钉钉 "加签"): ``timestamp`` in milliseconds; ``string_to_sign =
f"{timestamp}\\n{secret}"``; HMAC-SHA256 keyed with the secret; base64; URL-encoded;
appended to the webhook URL as ``&timestamp=...&sign=...``.
"""

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

from django.utils.translation import gettext as _, gettext_lazy

from .base import DeliveryError, GroupChannel, Message
from .http import post_json
from .wecom import truncate_utf8

MAX_BYTES = 18000
# 310000: signature refused / keyword or IP rule not met; 300001/300005: token does not exist.
DISABLE_CODES = {310000, 300001, 300005}
# 130101: sending too fast (20 a minute); -1: system busy.
TRANSIENT_CODES = {-1, 130101}


def sign(secret: str, timestamp_ms: int) -> str:
    string_to_sign = f"{timestamp_ms}\n{secret}".encode("utf-8")
    digest = hmac.new(secret.encode("utf-8"), string_to_sign, digestmod=hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    if not secret:
        return url
    ts = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}timestamp={ts}&sign={sign(secret, ts)}"


class DingTalkChannel(GroupChannel):
    code = "dingtalk"
    verbose_name = gettext_lazy("DingTalk group robot")

    def label(self):
        return str(self.verbose_name)

    def payload(self, message: Message) -> dict:
        return {
            "msgtype": "markdown",
            "markdown": {"title": message.title[:60], "text": truncate_utf8(message.markdown, MAX_BYTES)},
        }

    def send_group(self, webhook, message: Message) -> str:
        answer = post_json(signed_url(webhook.url, webhook.secret), self.payload(message))
        code = answer.get("errcode")
        text = str(answer.get("errmsg", ""))[:200]
        if code == 0:
            return f"errcode 0 {text}".strip()
        if code in DISABLE_CODES:
            raise DeliveryError(_("DingTalk rejected the robot's key or signature (errcode %(code)s: %(msg)s).") % {"code": code, "msg": text}, disable=True)
        if code in TRANSIENT_CODES:
            raise DeliveryError(_("DingTalk is busy (errcode %(code)s: %(msg)s).") % {"code": code, "msg": text})
        raise DeliveryError(_("DingTalk refused the message (errcode %(code)s: %(msg)s).") % {"code": code, "msg": text}, permanent=True)
