"""What both work-app APIs share: an access token got with the app's credentials, cached until
shortly before it expires (in the shared cache: one token for every process), fetched again once
when the provider says it expired, and the call repeated; errcodes sorted into "try again later",
"the secret is wrong" (the provider's messages are switched off) and "refused".

HTTP goes through notifications.channels.http: https, the configured API host only, every
address it resolves to checked (QINGDAN_WEBHOOK_ALLOW_PRIVATE admits a private deployment),
no redirects, a timeout."""

import hashlib
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from notifications.channels.base import DeliveryError
from notifications.channels.http import request_json

from .. import providers

TOKEN_MARGIN_SECONDS = 300  # a cached token is dropped this long before the provider's expiry

TEXTS = {
    "timeout": lambda: _("The work app's server did not answer within %(s)s seconds."),
    "unreachable": lambda: _("Could not reach the work app's server: %(error)s"),
    "server_error": lambda: _("The work app's server answered HTTP %(status)d."),
    "refused": lambda: _("The work app's server refused the request (HTTP %(status)d)."),
    "not_json": lambda: _("The work app's answer is not JSON (HTTP %(status)d)."),
}


class ApiError(DeliveryError):
    """A work-app call that failed; ``errcode`` is the provider's code (None: no usable answer)."""

    def __init__(self, message: str, *, errcode=None, permanent: bool = False, disable: bool = False):
        super().__init__(message, permanent=permanent, disable=disable)
        self.errcode = errcode


class Client:
    provider = ""
    #: errcodes meaning the access token is no longer valid: fetched again once, the call repeated
    EXPIRED: frozenset = frozenset()
    #: errcodes meaning the credentials themselves are wrong: the provider is switched off
    BAD_SECRET: frozenset = frozenset()
    #: errcodes meaning "busy, try again later" (rate limits, system busy)
    TRANSIENT: frozenset = frozenset()

    # --- configuration ------------------------------------------------------------------
    def api_url(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def secret(self) -> str:
        """The secret set on the administration site, else the environment's."""
        from ..models import Credential

        stored = Credential.objects.filter(provider=self.provider).values_list("secret", flat=True).first()
        return stored or self.env_secret()

    def env_secret(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def corp_id(self) -> str:
        return providers.corp_id(self.provider)

    def agent_id(self) -> str:
        return providers.agent_id(self.provider)

    def name(self) -> str:
        return providers.label(self.provider)

    # --- HTTP -----------------------------------------------------------------------------
    def request(self, method: str, path: str, params: dict, payload: dict | None = None) -> dict:
        base = self.api_url()
        url = f"{base}{path}?{urlencode(params)}"
        try:
            answer = request_json(method, url, payload, timeout=settings.QINGDAN_WORKAPP_TIMEOUT,
                                  allowed_hosts=(urlsplit(base).hostname or "",), texts=TEXTS)
        except ApiError:
            raise
        except DeliveryError as exc:
            raise ApiError(str(exc), permanent=exc.permanent, disable=exc.disable) from None
        code = answer.get("errcode")  # both providers always answer with one
        if isinstance(code, bool) or not isinstance(code, int):
            if isinstance(code, str) and code.lstrip("-").isdigit():
                code = int(code)
            else:
                raise ApiError(_("%(app)s gave an answer that cannot be understood.") % {"app": self.name()})
        answer["errcode"] = code
        return answer

    def check(self, answer: dict) -> dict:
        """The answer if its errcode is 0; otherwise the matching ApiError."""
        code = answer["errcode"]
        if code == 0:
            return answer
        detail = {"app": self.name(), "code": code, "msg": str(answer.get("errmsg", ""))[:200]}
        if code in self.BAD_SECRET:
            raise ApiError(_("%(app)s refused the app's credentials (errcode %(code)s: %(msg)s).") % detail,
                           errcode=code, disable=True)
        if code in self.TRANSIENT:
            raise ApiError(_("%(app)s is busy (errcode %(code)s: %(msg)s).") % detail, errcode=code)
        raise ApiError(_("%(app)s refused the request (errcode %(code)s: %(msg)s).") % detail,
                       errcode=code, permanent=True)

    # --- the access token ---------------------------------------------------------------
    def token_key(self, secret: str) -> str:
        fingerprint = hashlib.sha256(f"{self.api_url()}\0{self.corp_id()}\0{secret}".encode()).hexdigest()[:24]
        return f"workapp:token:{self.provider}:{fingerprint}"

    def fetch_token(self, secret: str) -> dict:  # pragma: no cover - overridden
        """The provider's gettoken answer."""
        raise NotImplementedError

    def token(self, *, fresh: bool = False) -> str:
        if not self.corp_id():
            raise ApiError(_("%(app)s is not configured.") % {"app": self.name()}, permanent=True)
        secret = self.secret()
        if not secret:
            raise ApiError(_("%(app)s has no secret: set it on the administration site.") % {"app": self.name()},
                           disable=True)
        key = self.token_key(secret)
        if not fresh:
            cached = cache.get(key)
            if cached:
                return cached
        answer = self.check(self.fetch_token(secret))
        token = answer.get("access_token")
        expires = answer.get("expires_in", 7200)
        if not isinstance(token, str) or not token or isinstance(expires, bool) or not isinstance(expires, int):
            raise ApiError(_("%(app)s gave an answer that cannot be understood.") % {"app": self.name()})
        cache.set(key, token, timeout=max(60, expires - TOKEN_MARGIN_SECONDS))
        return token

    def call(self, method: str, path: str, params: dict | None = None, payload: dict | None = None) -> dict:
        """An API call with the access token; an expired token is fetched again once."""
        answer = self.request(method, path, {"access_token": self.token(), **(params or {})}, payload)
        if answer["errcode"] in self.EXPIRED:
            answer = self.request(method, path, {"access_token": self.token(fresh=True), **(params or {})}, payload)
        return self.check(answer)

    # --- what the app uses -----------------------------------------------------------------
    def userid_for_code(self, code: str) -> str:  # pragma: no cover - overridden
        """The user id a sign-in code stands for; ApiError (``permanent``) if the provider refuses it."""
        raise NotImplementedError

    def send_card(self, userid: str, *, title: str, description: str, url: str) -> str:  # pragma: no cover
        """A text card to one person; returns a short record of the provider's answer."""
        raise NotImplementedError
