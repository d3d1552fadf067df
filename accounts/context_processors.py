from django.conf import settings

from .navigation import menu_for
from .scope import Reaches


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "nav_menu": menu_for(request) if signed_in else [],
        "may": Reaches(user),
        "site_county": settings.COUNTY_NAME,
    }
