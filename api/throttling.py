import logging

from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

log = logging.getLogger(__name__)


class PerTokenOrUserThrottle(SimpleRateThrottle):
    """One budget per API token (each token its own), else per signed-in user, else per address;
    counted in the default cache (Redis in production)."""

    scope = "api"

    def allow_request(self, request, view):
        """Fails open while the cache is unreachable: the API keeps answering, as the pages do
        when Redis is down, and the outage is logged."""
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as exc:
            log.warning("API rate limit not applied, cache unavailable: %s", exc)
            return True

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is not None and hasattr(token, "token_hash"):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
