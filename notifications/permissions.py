"""Who may configure reminders and robots: county staff — users holding "manage" at a root org."""

from django.core.exceptions import PermissionDenied

from accounts.scope import current_grants


def is_county_manager(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # = visible_to(user, "manage").filter(depth=1).exists(): "manage" reaches down a subtree, so a
    # root is reached only through a grant on that root itself — asked of the grants directly
    # (no EXISTS over every org's path: this runs on every page county staff open, for the menu).
    return current_grants(user, "manage").filter(content_object__depth=1).exists()


def is_county_manager_request(request) -> bool:
    if not hasattr(request, "_qingdan_county_manager"):
        request._qingdan_county_manager = is_county_manager(request.user)
    return request._qingdan_county_manager


def require_county_manager(request) -> None:
    if not is_county_manager_request(request):
        raise PermissionDenied
