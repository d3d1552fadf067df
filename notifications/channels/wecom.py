"""企业微信 group robot: POST {"msgtype": "markdown", "markdown": {"content": ...}}."""

from django.utils.translation import gettext as _, gettext_lazy

from .base import DeliveryError, GroupChannel, Message
from .http import post_json

# WeCom limits a markdown message to 4096 bytes of UTF-8.
MAX_BYTES = 4096
# errcode → the robot itself is unusable (key revoked / robot removed).
DISABLE_CODES = {93000}
# errcode → try again later (system busy, rate limit of 20 messages a minute).
TRANSIENT_CODES = {-1, 45009}


def truncate_utf8(text: str, limit: int, suffix: str = "…") -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    cut = data[: limit - len(suffix.encode("utf-8"))]
    return cut.decode("utf-8", errors="ignore") + suffix


class WeComChannel(GroupChannel):
    code = "wecom"
    verbose_name = gettext_lazy("WeCom group robot")

    def label(self):
        return str(self.verbose_name)

    def payload(self, message: Message) -> dict:
        return {"msgtype": "markdown", "markdown": {"content": truncate_utf8(message.markdown, MAX_BYTES)}}

    def send_group(self, webhook, message: Message) -> str:
        answer = post_json(webhook.url, self.payload(message))
        code = answer.get("errcode")
        text = str(answer.get("errmsg", ""))[:200]
        if code == 0:
            return f"errcode 0 {text}".strip()
        if code in DISABLE_CODES or (isinstance(text, str) and "invalid webhook url" in text.lower()):
            raise DeliveryError(_("WeCom rejected the robot's key (errcode %(code)s: %(msg)s).") % {"code": code, "msg": text}, disable=True)
        if code in TRANSIENT_CODES:
            raise DeliveryError(_("WeCom is busy (errcode %(code)s: %(msg)s).") % {"code": code, "msg": text})
        raise DeliveryError(_("WeCom refused the message (errcode %(code)s: %(msg)s).") % {"code": code, "msg": text}, permanent=True)
