import ipaddress
import re
import uuid
from urllib.parse import urlencode
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.middleware.gzip import GZipMiddleware
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .audit import reset_request_context, set_request_context
from .scope import opens, request_cache


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def from_trusted_proxy(request) -> bool:
    """Whether the request's peer is one of QINGDAN_TRUSTED_PROXIES (addresses or networks;
    none by default)."""
    proxies = settings.QINGDAN_TRUSTED_PROXIES
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR") or "")
    except ValueError:
        return False
    return any(peer in net for net in _networks(tuple(proxies)))


def request_id_for(request) -> str:
    """The id of this request: the X-Request-ID the trusted proxy sent, if well-formed;
    otherwise a new one (a client cannot choose what the audit trail records)."""
    supplied = request.headers.get("X-Request-ID", "")
    if REQUEST_ID.fullmatch(supplied) and from_trusted_proxy(request):
        return supplied
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give every request an id (shown on error pages, written to the audit trail), and the
    authorisation policy a cache for the request's life."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        token = set_request_context(ip=client_ip(request), request_id=request.request_id, user=None)
        try:
            with request_cache():
                response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request.request_id
        return response


class NoStoreMiddleware:
    """Nothing a signed-in user is shown is kept by a browser or proxy cache
    (``Cache-Control: no-store``). Static files are served before this runs and keep theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class SessionLimitsMiddleware:
    """12-hour absolute session limit, and the idle limit's renewal: the session (and with it
    its expiry, SESSION_COOKIE_AGE ahead) is saved when it was last renewed more than
    SESSION_TOUCH_SECONDS ago — not on every request. Also puts the user into the audit context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get("auth_started")
            now = timezone.now().timestamp()
            if started is None:
                request.session["auth_started"] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has reached its time limit. Please sign in again."))
                return redirect(settings.LOGIN_URL)
            touched = request.session.get("touched")
            if touched is None or not 0 <= now - touched < settings.SESSION_TOUCH_SECONDS:
                request.session["touched"] = now  # modified: SessionMiddleware saves it
            set_request_context(
                ip=client_ip(request), request_id=getattr(request, "request_id", ""), user=user
            )
        return self.get_response(request)


class SecondFactorMiddleware:
    """A session that still lacks its second factor (accounts.twofactor.missing_step: a code,
    or — where the policy requires one — an enrolment) opens the sign-in's own pages only: every
    other page sends it to the code or enrolment step, the API answers 403. Personal API tokens
    are not sessions: they are issued from a verified session and pass as they are."""

    ALLOWED = ("accounts:otp_verify", "accounts:otp_enrol", "accounts:logout", "accounts:login", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import twofactor

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.view_name in self.ALLOWED:
            return self.get_response(request)
        step = twofactor.missing_step(request)
        if step is None:
            return self.get_response(request)
        if match.namespace == "api":
            return JsonResponse({"code": "second_factor_required",
                                 "message": _("Sign in with your second factor first.")}, status=403)
        target = reverse("accounts:otp_verify" if step == "verify" else "accounts:otp_enrol")
        if request.method == "GET" and request.path != reverse(settings.LOGIN_REDIRECT_URL):
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


class PasswordChangeRequiredMiddleware:
    """First login and passwords older than the sign-in policy allows (accounts.policy) go to the change page."""

    ALLOWED = ("accounts:password_change", "accounts:logout", "accounts:login", "set_language",
               "accounts:otp_verify", "accounts:otp_enrol", "accounts:otp_recovery")  # the second factor first

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.password_expired:
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("accounts:password_change")
        return self.get_response(request)


class AdministratorConfinementMiddleware:
    """An administrator opens the pages of his role only (accounts.scope.opens): every other
    page answers 403 before its view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if match is not None and user is not None and not opens(user, match.view_name or ""):
            raise PermissionDenied
        return None


class BreakGlassMiddleware:
    """The superuser is the break-glass account: every request he makes is audited
    (``auth.break_glass``, flagged like every audit row he causes — accounts.audit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_superuser:
            match = getattr(request, "resolver_match", None)
            audit.record("auth.break_glass", user=user, method=request.method, path=request.path[:300],
                         view=(match.view_name if match else ""), status=response.status_code)
        return response


class PageGZipMiddleware(GZipMiddleware):
    """Pages and JSON leave compressed (Django's GZipMiddleware, with its BREACH padding);
    files — downloads, exports, static files (WhiteNoise serves those pre-compressed) — do not:
    they are compressed already or too large to compress on every request."""

    TYPES = ("text/html", "application/json")

    def process_response(self, request, response):
        if response.get("Content-Type", "").split(";")[0].strip() not in self.TYPES:
            return response
        return super().process_response(request, response)
