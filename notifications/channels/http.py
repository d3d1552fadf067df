"""HTTP for group robots: the stdlib, an allow-listed https host, every address it resolves to
public, the connection made to the address that was checked (no second lookup a rebinding DNS
could answer differently), no redirects, no proxy, a timeout."""

import http.client
import ipaddress
import json
import socket
import ssl
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .base import DeliveryError

MAX_RESPONSE_BYTES = 64 * 1024


def refused_address(address: str) -> bool:
    """True for an address a robot must not sit on: loopback, private, link-local, reserved,
    multicast, unspecified or otherwise not globally routable (IPv4-mapped IPv6 included);
    always False with QINGDAN_WEBHOOK_ALLOW_PRIVATE. Save time (an IP literal) and send time
    (every address the host resolves to) both ask here."""
    if settings.QINGDAN_WEBHOOK_ALLOW_PRIVATE:
        return False
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved
        or ip.is_multicast or ip.is_unspecified or not ip.is_global
    )


def _literal_address(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def check_url(url: str, allowed_hosts=None) -> SplitResult:
    """Raise ValidationError unless ``url`` is https on an allowed host (the robot hosts of
    QINGDAN_WEBHOOK_ALLOWED_HOSTS unless ``allowed_hosts`` is given); return its parts.

    An address given as an IP literal is checked here too; a host name is resolved and its
    addresses checked at send time (``resolve``)."""
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
    if parts.scheme != "https" and not (parts.scheme == "http" and settings.QINGDAN_WEBHOOK_ALLOW_HTTP):
        raise ValidationError(_("The webhook address must start with https://."), code="scheme")
    if not host:
        raise ValidationError(_("The webhook address is not a valid URL."), code="invalid")
    if parts.username or parts.password:
        raise ValidationError(_("The webhook address must not contain a user name or password."), code="userinfo")
    allowed = settings.QINGDAN_WEBHOOK_ALLOWED_HOSTS if allowed_hosts is None else tuple(allowed_hosts)
    if host not in allowed:
        raise ValidationError(
            _("%(host)s is not an allowed robot host. Allowed: %(allowed)s."),
            code="host", params={"host": host, "allowed": ", ".join(allowed)},
        )
    literal = _literal_address(host)
    if literal and refused_address(literal):
        raise ValidationError(_private_message(host, literal), code="private")
    return parts


def _private_message(host: str, address: str) -> str:
    return _(
        "%(host)s is at %(address)s, a loopback, private or reserved address: "
        "a robot must be on the public network."
    ) % {"host": host, "address": address}


def resolve(host: str, port: int) -> list[tuple]:
    """Every address ``host`` resolves to, as (family, sockaddr), each checked; raise
    DeliveryError if one is refused. A failed lookup is transient; a refused address
    disables the robot."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DeliveryError(_("Could not reach the robot: %(error)s") % {"error": exc}) from None
    addresses = list(dict.fromkeys((info[0], info[4]) for info in infos))
    for _family, sockaddr in addresses:
        if refused_address(sockaddr[0]):
            raise DeliveryError(_private_message(host, sockaddr[0]), disable=True)
    return addresses


class _PinnedMixin:
    """Connects to an address already checked — no second lookup — while the Host header,
    SNI and the certificate check keep the robot's host name."""

    def pin(self, family, sockaddr):
        def create_connection(_where, timeout, source_address=None):
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(timeout)
                sock.connect(sockaddr)
            except BaseException:
                sock.close()
                raise
            return sock

        self._create_connection = create_connection
        return self


class _PinnedHTTP(_PinnedMixin, http.client.HTTPConnection):
    pass


class _PinnedHTTPS(_PinnedMixin, http.client.HTTPSConnection):
    pass


def _open(parts: SplitResult, timeout: float):
    """A connection to the first reachable checked address of the URL's host."""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    error: OSError | None = None
    for family, sockaddr in resolve(parts.hostname, port):
        if https:
            conn = _PinnedHTTPS(parts.hostname, port, timeout=timeout, context=ssl.create_default_context())
        else:
            conn = _PinnedHTTP(parts.hostname, port, timeout=timeout)
        conn.pin(family, sockaddr)
        try:
            conn.connect()
            return conn
        except TimeoutError:
            conn.close()
            raise
        except OSError as exc:
            conn.close()
            error = exc
    raise error or OSError("no address")


def post_json(url: str, payload: dict, *, timeout: float | None = None) -> dict:
    """POST ``payload`` as UTF-8 JSON to a group robot; return the decoded JSON answer.

    Raises DeliveryError: transient for timeouts, failed lookups, connection errors, 5xx and 429;
    permanent (and ``disable``) for other 3xx/4xx (redirects are not followed), for a host no
    longer allowed and for a host resolving to a refused address."""
    return request_json("POST", url, payload, timeout=timeout)


def request_json(method: str, url: str, payload: dict | None = None, *, timeout: float | None = None,
                 allowed_hosts=None, texts=None) -> dict:
    """One JSON call (GET, or POST of ``payload``) under the rules above: ``allowed_hosts``
    (default: the robot hosts) and ``texts`` (default: ROBOT_TEXTS, the error messages naming
    the far end) let another outside service use the same checks."""
    texts = texts or ROBOT_TEXTS
    try:
        parts = check_url(url, allowed_hosts)
    except ValidationError as exc:
        raise DeliveryError(" ".join(exc.messages), disable=True) from None
    timeout = settings.QINGDAN_WEBHOOK_TIMEOUT if timeout is None else timeout
    body = None if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    headers = {"User-Agent": "qingdan-notifications/1", "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json; charset=utf-8"
    try:
        conn = _open(parts, timeout)
        try:
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()  # a 3xx is answered, never followed
            status = response.status
            raw = response.read(MAX_RESPONSE_BYTES)
        finally:
            conn.close()
    except TimeoutError:
        raise DeliveryError(texts["timeout"]() % {"s": timeout}) from None
    except (ConnectionError, http.client.HTTPException, OSError) as exc:
        raise DeliveryError(texts["unreachable"]() % {"error": exc}) from None
    if status >= 500 or status == 429:
        raise DeliveryError(texts["server_error"]() % {"status": status})
    if status >= 300:
        raise DeliveryError(texts["refused"]() % {"status": status}, disable=True)
    try:
        answer = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        raise DeliveryError(texts["not_json"]() % {"status": status}) from None
    if not isinstance(answer, dict):
        raise DeliveryError(texts["not_json"]() % {"status": status})
    return answer


ROBOT_TEXTS = {
    "timeout": lambda: _("The robot did not answer within %(s)s seconds."),
    "unreachable": lambda: _("Could not reach the robot: %(error)s"),
    "server_error": lambda: _("The robot's server answered HTTP %(status)d."),
    "refused": lambda: _("The robot refused the request (HTTP %(status)d)."),
    "not_json": lambda: _("The robot's answer is not JSON (HTTP %(status)d)."),
}
