"""The navigation menu: each app registers its entries in AppConfig.ready();
accounts never imports them. Visibility is decided per request from the user's
current roles (one query, cached on the request)."""

from dataclasses import dataclass, field
from typing import Callable

from django.urls import NoReverseMatch, reverse

from .roles import Role


@dataclass(order=True)
class MenuEntry:
    order: int
    label: str = field(compare=False)
    url_name: str = field(compare=False)
    icon: str = field(compare=False, default="circle")
    visible: Callable = field(compare=False, default=lambda request: True)
    parent: str | None = field(compare=False, default=None)


_ENTRIES: list[MenuEntry] = []


def register(label, url_name, *, icon="circle", order=100, visible=None, parent=None):
    """A menu entry. With ``parent`` (the url_name of another entry) it goes into that
    entry's drop-down instead of the top bar, which must stay one line at 1366 px."""
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(MenuEntry(order, label, url_name, icon, visible or (lambda request: True), parent))
    _ENTRIES.sort()


def user_roles(request) -> set[str]:
    """The roles the signed-in user holds today (any org), cached per request."""
    if not hasattr(request, "_qingdan_roles"):
        from .models import Membership

        user = request.user
        roles = set(Membership.objects.filter(user=user).current().values_list("role", flat=True))
        request._qingdan_roles = roles
    return request._qingdan_roles


def is_commission(request) -> bool:
    return request.user.is_superuser or Role.COMMISSION_STAFF in user_roles(request)


def optional_url(url_name, *args, **kwargs) -> str | None:
    """The URL of ``url_name``, or None while the app that serves it is not built yet."""
    try:
        return reverse(url_name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _item(request, e):
    url = optional_url(e.url_name)
    if url is None:
        return None
    return {"label": e.label, "url": url, "icon": e.icon, "children": [],
            "active": request.path == url or (url != "/" and request.path.startswith(url))}


def menu_for(request):
    """Top-level entries the user may see, each with the visible entries of its drop-down
    (``children``; a child is only asked for its visibility when its parent is shown)."""
    items, by_name = [], {}
    for e in _ENTRIES:
        if e.parent is None and e.visible(request):
            item = _item(request, e)
            if item is not None:
                items.append(item)
                by_name[e.url_name] = item
    for e in _ENTRIES:
        parent = by_name.get(e.parent) if e.parent else None
        if parent is not None and e.visible(request):
            child = _item(request, e)
            if child is not None:
                parent["children"].append(child)
                parent["active"] = parent["active"] or child["active"]
    return items
