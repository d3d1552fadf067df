"""Personal API tokens: ``Authorization: Bearer <secret>`` (or ``Token <secret>``). The stored
sha256 is looked up; a revoked or expired token, or an inactive user, is refused. Each use is
attributable: last use is stamped and an audit row names the token."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts import audit
from accounts.models import AuditEvent

from .models import ApiToken, digest

KEYWORDS = (b"bearer", b"token")
# "last used" is a token's coarse stamp (the settings page shows it): written at most once a
# minute, so a client's burst of calls is not a burst of writes; every call has its audit row
STAMP_EVERY = timedelta(minutes=1)


def _audit_use(token, request):
    audit.record("api.token_used", user=token.user, obj=token, token=token.prefix,
                 method=request.method, path=request.path[:200])


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            secret = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = ApiToken.objects.select_related("user").filter(token_hash=digest(secret)).first()
        now = timezone.now()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.is_live:
            with transaction.atomic():
                audit.record("api.token_refused", user=token.user, obj=token, result=AuditEvent.Result.FAILURE,
                             token=token.prefix, reason="revoked" if token.revoked_at else "expired")
            raise exceptions.AuthenticationFailed(_("This token has expired or been revoked."))
        if token.last_used_at is None or now - token.last_used_at >= STAMP_EVERY:
            with transaction.atomic():
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
                _audit_use(token, request)
        else:  # stamped a moment ago: the audit row alone records this use
            _audit_use(token, request)
        # later audit rows of this request (the services') carry the user too
        ctx = audit.request_context()
        audit.set_request_context(**{**ctx, "user": token.user, "token": token.pk})
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "个人 API 令牌（在“API 令牌”设置页创建）"}
