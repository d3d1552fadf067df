from django.conf import settings

from .navigation import menu_for, menu_key
from .scope import Reaches
from .upload_limit import largest


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    menu = menu_for(request) if signed_in else []
    return {
        "nav_menu": menu,
        "nav_menu_key": menu_key(menu),
        "may": Reaches(user),
        "site_county": settings.COUNTY_NAME,
        "upload_max_bytes": largest(),
    }
