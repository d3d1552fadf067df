"""HTTP for group robots: the stdlib, an allow-listed host, no redirects, no proxy, a timeout."""

import http.client
import json
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .base import DeliveryError

MAX_RESPONSE_BYTES = 64 * 1024


def check_url(url: str) -> None:
    """Raise ValidationError unless ``url`` is http(s) on an allowed host."""
    url = (url or "").strip()
    if not url:
        raise ValidationError(_("Enter the robot's webhook address."), code="required")
    if any(ch.isspace() for ch in url) or len(url) > 500:
        raise ValidationError(_("The webhook address is not a valid URL."), code="invalid")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValidationError(_("The webhook address is not a valid URL."), code="invalid") from None
    if parts.scheme not in ("http", "https"):
        raise ValidationError(
            _("The webhook address must start with https:// (or http://)."), code="scheme"
        )
    if not host:
        raise ValidationError(_("The webhook address is not a valid URL."), code="invalid")
    if parts.username or parts.password:
        raise ValidationError(_("The webhook address must not contain a user name or password."), code="userinfo")
    allowed = settings.QINGDAN_WEBHOOK_ALLOWED_HOSTS
    if host not in allowed:
        raise ValidationError(
            _("%(host)s is not an allowed robot host. Allowed: %(allowed)s."),
            code="host", params={"host": host, "allowed": ", ".join(allowed)},
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx is then raised as HTTPError and treated as a refusal


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def post_json(url: str, payload: dict, *, timeout: float | None = None) -> dict:
    """POST ``payload`` as UTF-8 JSON; return the decoded JSON answer.

    Raises DeliveryError: transient for timeouts, connection errors, 5xx and 429;
    permanent (and ``disable``) for other 3xx/4xx, and for a host no longer allowed."""
    try:
        check_url(url)
    except ValidationError as exc:
        raise DeliveryError(" ".join(exc.messages), disable=True) from None
    timeout = settings.QINGDAN_WEBHOOK_TIMEOUT if timeout is None else timeout
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "qingdan-notifications/1"},
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
            raw = response.read(MAX_RESPONSE_BYTES)
    except urllib.error.HTTPError as exc:
        status = exc.code
        try:
            raw = exc.read(MAX_RESPONSE_BYTES)
        except Exception:  # noqa: BLE001 - the status is what matters
            raw = b""
        finally:
            exc.close()
    except (TimeoutError, socket.timeout):
        raise DeliveryError(_("The robot did not answer within %(s)s seconds.") % {"s": timeout}) from None
    except (urllib.error.URLError, ConnectionError, http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise DeliveryError(_("The robot did not answer within %(s)s seconds.") % {"s": timeout}) from None
        raise DeliveryError(_("Could not reach the robot: %(error)s") % {"error": reason}) from None
    if status >= 500 or status == 429:
        raise DeliveryError(_("The robot's server answered HTTP %(status)d.") % {"status": status})
    if status >= 300:
        raise DeliveryError(_("The robot refused the request (HTTP %(status)d).") % {"status": status}, disable=True)
    try:
        answer = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        raise DeliveryError(_("The robot's answer is not JSON (HTTP %(status)d).") % {"status": status}) from None
    if not isinstance(answer, dict):
        raise DeliveryError(_("The robot's answer is not JSON (HTTP %(status)d).") % {"status": status})
    return answer
