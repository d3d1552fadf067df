from django.conf import settings

from .navigation import menu_html


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_menu_html": menu_html(request) if user is not None and user.is_authenticated else "",
        "site_county": settings.COUNTY_NAME,
    }
