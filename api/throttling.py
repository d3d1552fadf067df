from rest_framework.throttling import SimpleRateThrottle


class PerTokenOrUserThrottle(SimpleRateThrottle):
    """One budget per API token (each token its own), else per signed-in user, else per address;
    counted in the default cache (Redis in production)."""

    scope = "api"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is not None and hasattr(token, "token_hash"):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
