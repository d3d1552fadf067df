"""短信 through the county's (usually the province's) HTTP SMS gateway.

The gateway protocol — one JSON request per message; a county whose gateway speaks another
dialect puts a small adapter in front of it (notifications/fake_sms.py implements this
protocol, errcodes included)::

    POST <QINGDAN_SMS_URL>
    Authorization: Bearer <QINGDAN_SMS_API_KEY>
    Content-Type: application/json; charset=utf-8

    {"request_id": "qd-…",                 the same for every retry of one message: a gateway
                                           that has seen it answers errcode 0 and sends nothing
     "sign": "<QINGDAN_SMS_SIGN>",          the approved signature, e.g. 某某县纪委监委
     "template_id": "<QINGDAN_SMS_TEMPLATE_ID>",
     "phone_numbers": ["13800138000"],      one mainland mobile number
     "template_params": {"title": "…",      at most 30 characters
                         "count": "3",       how many tasks the message is about
                         "link": "https://…/tasks/mine/"}}

    → HTTP 200 {"errcode": 0, "errmsg": "ok", "message_id": "…"}

    errcode  meaning                                  qingdan does
    0        accepted                                 marks the message sent
    1001     API key unknown or revoked               disables SMS, tells county staff
    1002     signature or template not approved       disables SMS, tells county staff
    2001     phone number refused                     fails this message (not retried)
    3001     rate limited                             retries with backoff
    5000     gateway error                            retries with backoff

HTTP 401 / 403 mean a bad key as well; 429 and 5xx, a timeout, a refused connection or an
answer that is not JSON are retried with backoff (the request id makes a retry safe); any
other answer fails the message. SMS is switched off again only while the refused key is the
configured one: configuring a new key switches it back on.

Example template (as approved at the gateway): ``您有{count}项主体责任清单事项待办：{title}，详见{link}``.
"""

import hashlib
import http.client
import json
import re
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _, gettext_lazy

from .base import DeliveryError, Message, UserChannel

MAX_TITLE = 30
MAX_RESPONSE_BYTES = 64 * 1024
MOBILE = re.compile(r"1\d{10}")
DISABLE_CODES = {1001, 1002}
BAD_NUMBER_CODES = {2001}
TRANSIENT_CODES = {3001, 5000}


def normalise_mobile(raw: str) -> str:
    """"+86 138-0013 8000" → "13800138000"; "" if it is not a mainland mobile number."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    return digits if MOBILE.fullmatch(digits) else ""


def absolute(link: str) -> str:
    base = settings.QINGDAN_SITE_URL
    return f"{base}{link}" if base and link.startswith("/") else link


def post(payload: dict) -> tuple[int, bytes]:
    """POST ``payload`` to the configured gateway: (HTTP status, body). Raises OSError /
    TimeoutError / http.client.HTTPException on transport failures. No redirects are followed."""
    parts = urlsplit(settings.QINGDAN_SMS_URL)
    https = parts.scheme == "https"
    cls = http.client.HTTPSConnection if https else http.client.HTTPConnection
    conn = cls(parts.hostname, parts.port or (443 if https else 80), timeout=settings.QINGDAN_SMS_TIMEOUT)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Authorization": f"Bearer {settings.QINGDAN_SMS_API_KEY}",
        "User-Agent": "qingdan-notifications/1",
    }
    try:
        conn.request("POST", target, body=json.dumps(payload, ensure_ascii=False).encode("utf-8"), headers=headers)
        response = conn.getresponse()
        return response.status, response.read(MAX_RESPONSE_BYTES)
    finally:
        conn.close()


class SmsChannel(UserChannel):
    code = "sms"
    verbose_name = gettext_lazy("SMS")

    @property
    def daily_cap(self) -> int:
        return settings.QINGDAN_SMS_DAILY_CAP

    def label(self):
        return str(self.verbose_name)

    def available(self) -> bool:
        return bool(settings.QINGDAN_SMS_URL)

    def fingerprint(self) -> str:
        material = f"{settings.QINGDAN_SMS_URL}\n{settings.QINGDAN_SMS_API_KEY}\n{settings.QINGDAN_SMS_SIGN}\n{settings.QINGDAN_SMS_TEMPLATE_ID}"
        return hashlib.sha256(material.encode()).hexdigest()[:32]

    def unusable_for(self, user, pref) -> str:
        if not self.available():
            return _("SMS is not configured.")
        if pref is None or not pref.sms_enabled:
            return _("The recipient switched SMS off.")
        if not normalise_mobile(user.mobile):
            return _("The recipient has no valid mobile number.")
        return ""

    def payload(self, row, message: Message) -> dict:
        return {
            # the envelope (or a single row's key) is the same at every retry of one message
            "request_id": "qd-" + hashlib.sha256((row.envelope or row.key).encode()).hexdigest()[:32],
            "sign": settings.QINGDAN_SMS_SIGN,
            "template_id": settings.QINGDAN_SMS_TEMPLATE_ID,
            "phone_numbers": [normalise_mobile(row.recipient.mobile)],
            "template_params": {
                "title": message.title[:MAX_TITLE],
                "count": str(message.count),
                "link": absolute(message.link),
            },
        }

    def send(self, row, message: Message) -> str:
        number = normalise_mobile(row.recipient.mobile)
        if not number:
            raise DeliveryError(_("The recipient has no valid mobile number."), permanent=True)
        timeout = settings.QINGDAN_SMS_TIMEOUT
        try:
            status, raw = post(self.payload(row, message))
        except (TimeoutError, socket.timeout):
            raise DeliveryError(_("The SMS gateway did not answer within %(s)s seconds.") % {"s": timeout}) from None
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryError(_("Could not reach the SMS gateway: %(error)s") % {"error": str(exc)[:150]}) from None
        if status in (401, 403):
            raise DeliveryError(_("The SMS gateway refused the API key (HTTP %(status)d).") % {"status": status}, disable=True)
        if status >= 500 or status == 429:
            raise DeliveryError(_("The SMS gateway answered HTTP %(status)d.") % {"status": status})
        if status != 200:
            raise DeliveryError(_("The SMS gateway refused the request (HTTP %(status)d).") % {"status": status}, permanent=True)
        try:
            answer = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            answer = None
        if not isinstance(answer, dict) or not isinstance(answer.get("errcode"), int):
            raise DeliveryError(_("The SMS gateway's answer is not the expected JSON."))
        code, text = answer["errcode"], str(answer.get("errmsg", ""))[:150]
        detail = {"code": code, "msg": text}
        if code == 0:
            return f"sms {number[:3]}****{number[-4:]} {str(answer.get('message_id', ''))[:60]}".strip()
        if code in DISABLE_CODES:
            raise DeliveryError(_("The SMS gateway refused the key, signature or template (errcode %(code)s: %(msg)s).") % detail,
                                disable=True)
        if code in BAD_NUMBER_CODES:
            raise DeliveryError(_("The SMS gateway refused the mobile number (errcode %(code)s: %(msg)s).") % detail, permanent=True)
        if code in TRANSIENT_CODES:
            raise DeliveryError(_("The SMS gateway is busy (errcode %(code)s: %(msg)s).") % detail)
        raise DeliveryError(_("The SMS gateway refused the message (errcode %(code)s: %(msg)s).") % detail, permanent=True)
