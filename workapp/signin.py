"""Signing in from a work app, and binding a person to their work-app user id.

The flow (企业微信's OAuth2; 钉钉's 免登 code the same way, the code either from an authorisation
page or asked of the 钉钉 client by the workbench page and posted back): ``start`` keeps a random ``state``
in the session and sends the browser to the provider; the provider sends it back with ``code``
and ``state``; ``finish`` checks the state against the session (and forgets it), records the code
as used (a replayed code is refused even if the provider would accept it again), asks the
provider whose code it is, and signs in the person bound to that user id — never anyone else,
never a new account. A locked-out, disabled or ended account is refused. Every attempt is
audited with its source."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts import audit, twofactor
from accounts.models import AuditEvent, Membership

from . import providers
from .client import ApiError, for_provider
from .models import Binding, UsedCode

SESSION_KEY = "workapp_signin"
PENDING_KEY = "workapp_pending"
STATE_SECONDS = 600  # a sign-in started more than 10 minutes ago is not finished
PENDING_SECONDS = 900  # an unbound user id waits this long for its person to confirm
CODE_KEEP_DAYS = 2  # used codes remembered this long (a provider's code lives minutes)
MAX_CODE_CHARS = 512
BACKEND = "accounts.backends.CaseInsensitiveModelBackend"


@dataclass
class Refusal(Exception):
    """Why a sign-in from the work app was refused: a message for the person and an HTTP status."""

    message: str
    status: int = 400
    reason: str = ""


def source(provider: str) -> str:
    return f"workapp:{provider}"


def safe_next(request, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("tasks:mine")


def callback_url(request, provider: str) -> str:
    path = reverse("workapp:callback", kwargs={"provider": provider})
    return f"{settings.QINGDAN_SITE_URL}{path}" if settings.QINGDAN_SITE_URL else request.build_absolute_uri(path)


def begin(request, provider: str, next_url: str | None) -> str:
    """Remember a fresh state for this browser's sign-in and return it."""
    state = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = {"provider": provider, "state": state, "next": safe_next(request, next_url),
                                    "at": timezone.now().timestamp()}
    return state


def start(request, provider: str, next_url: str | None) -> str | None:
    """Remember a fresh state; return the provider's page to send the browser to (None: the
    provider has no such page — 钉钉 without an authorisation page, where the workbench page
    asks the 钉钉 client for the code instead, and remembers its own state)."""
    if provider != providers.Provider.WECOM and not settings.QINGDAN_DINGTALK_AUTHORIZE_URL:
        return None
    state = begin(request, provider, next_url)
    redirect_uri = callback_url(request, provider)
    if provider == providers.Provider.WECOM:
        return for_provider(provider).authorize_url(redirect_uri, state)
    query = urlencode({"response_type": "code", "client_id": providers.corp_id(provider),
                       "redirect_uri": redirect_uri, "state": state, "scope": "openid"})
    return f"{settings.QINGDAN_DINGTALK_AUTHORIZE_URL}?{query}"


def _refuse(provider: str, reason: str, message: str, status: int = 400, **detail) -> Refusal:
    audit.record("auth.workapp_refused", result=AuditEvent.Result.DENIED, source=source(provider),
                 reason=reason, **detail)
    return Refusal(message, status, reason)


def check_state(request, provider: str, state: str) -> str:
    """The ``next`` of the sign-in this state belongs to; the state is forgotten either way."""
    started = request.session.pop(SESSION_KEY, None)
    if (
        not isinstance(started, dict) or started.get("provider") != provider
        or not constant_time_compare(str(started.get("state", "")), state or "")
        or timezone.now().timestamp() - float(started.get("at", 0)) > STATE_SECONDS
    ):
        raise _refuse(provider, "state", _("This sign-in link was not started here or has expired. "
                                            "Please open the system from the work app again."))
    return started.get("next") or reverse("tasks:mine")


def use_code(provider: str, code: str) -> None:
    """Record the code as used; a code seen before is refused."""
    if not code or len(code) > MAX_CODE_CHARS or not code.isprintable():
        raise _refuse(provider, "code", _("The work app did not send a valid sign-in code."))
    now = timezone.now()
    digest = hashlib.sha256(code.encode()).hexdigest()
    try:
        with transaction.atomic():
            UsedCode.objects.create(provider=provider, digest=digest, used_at=now)
    except IntegrityError:
        raise _refuse(provider, "replayed", _("This sign-in code has already been used. "
                                               "Please open the system from the work app again.")) from None
    UsedCode.objects.filter(used_at__lt=now - timedelta(days=CODE_KEEP_DAYS)).delete()


def userid_for(provider: str, code: str) -> str:
    try:
        return for_provider(provider).userid_for_code(code)
    except ApiError as exc:
        if exc.permanent and not exc.disable:
            raise _refuse(provider, "code_refused", _("The work app did not accept the sign-in code. "
                                                       "Please open the system from the work app again."),
                          error=str(exc)) from None
        raise _refuse(provider, "provider_error", _("The work app cannot be reached right now. Please try again "
                                                     "later, or sign in with your user name and password."),
                      status=503, error=str(exc)) from None


def person_for(request, provider: str, userid: str):
    """The person bound to ``userid``, allowed to sign in now; Refusal otherwise."""
    from axes.handlers.proxy import AxesProxyHandler

    binding = Binding.objects.select_related("user").filter(provider=provider, userid=userid).first()
    if binding is None:
        request.session[PENDING_KEY] = {"provider": provider, "userid": userid, "at": timezone.now().timestamp()}
        raise _refuse(provider, "unbound", "", status=403, userid=userid)
    user = binding.user
    if not user.is_active:
        raise _refuse(provider, "inactive", _("This account has been disabled. Ask the county discipline commission."),
                      status=403, userid=userid, username=user.username)
    if not Membership.objects.current(timezone.localdate()).filter(user=user, org__is_active=True).exists():
        raise _refuse(provider, "no_membership", _("Your role in the system has ended, so you cannot sign in. "
                                                    "Ask the county discipline commission."),
                      status=403, userid=userid, username=user.username)
    if AxesProxyHandler.is_locked(request, credentials={"username": user.username}):
        raise _refuse(provider, "locked", _("This account is locked after repeated wrong passwords. "
                                             "Try again later or ask the county discipline commission."),
                      status=429, userid=userid, username=user.username)
    return user


def signin_verified(request, user, provider: str) -> None:
    """The one place a person verified by a work app is signed in (a second factor, when the
    site requires one, is asked for here)."""
    request.signin_source = source(provider)  # written into the sign-in's audit row
    login(request, user, backend=BACKEND)
    twofactor.mark_verified_by(request, provider)  # counts only where the county enables it


def finish(request, provider: str, code: str, state: str) -> str:
    """Check everything and sign the person in; return where to go. Raises Refusal."""
    next_url = check_state(request, provider, state)
    use_code(provider, code)
    userid = userid_for(provider, code)
    user = person_for(request, provider, userid)
    signin_verified(request, user, provider)
    return next_url


def pending(request) -> dict | None:
    """The unbound user id waiting for its person to confirm, if fresh."""
    item = request.session.get(PENDING_KEY)
    if not isinstance(item, dict) or timezone.now().timestamp() - float(item.get("at", 0)) > PENDING_SECONDS:
        return None
    if item.get("provider") not in providers.Provider.values or not item.get("userid"):
        return None
    return item


def bind(request, user, item: dict) -> Binding:
    """Bind the signed-in person to the pending user id (they confirmed it). Raises Refusal when the
    user id or the person is already bound."""
    provider, userid = item["provider"], item["userid"]
    try:
        with transaction.atomic():
            binding = Binding.objects.create(user=user, provider=provider, userid=userid, via=Binding.Via.CONFIRMED)
            audit.record("workapp.bound", user=user, obj=user, source=source(provider), userid=userid,
                         via=Binding.Via.CONFIRMED)
    except IntegrityError:
        raise Refusal(_("This work-app account or your account is already bound. Ask the county discipline "
                        "commission to correct the binding."), 409, "bound") from None
    request.session.pop(PENDING_KEY, None)
    return binding
