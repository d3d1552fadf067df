"""The navigation menu: each app registers its entries in AppConfig.ready();
accounts never imports them. Visibility is decided per request from the user's
current roles (one query, cached on the request)."""

import html
from dataclasses import dataclass, field
from typing import Callable

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

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


_ENTRY_URLS: dict[tuple, str | None] = {}


def _entry_url(url_name: str) -> str | None:
    """A menu entry's URL, reversed once per URLconf and script prefix (the menu reversed
    some twenty names on every page)."""
    key = (get_urlconf(), get_script_prefix(), url_name)
    if key not in _ENTRY_URLS:
        _ENTRY_URLS[key] = optional_url(url_name)
    return _ENTRY_URLS[key]


def _item(request, e):
    url = _entry_url(e.url_name)
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


_TOP = '<li class="nav-item"><a class="nav-link{active}" href="{url}"><i class="bi bi-{icon}"></i> {label}</a></li>\n'
_DROPDOWN = (
    '<li class="nav-item dropdown"><a class="nav-link dropdown-toggle{active}" href="{url}" role="button" '
    'data-bs-toggle="dropdown" aria-expanded="false"><i class="bi bi-{icon}"></i> {label}</a>'
    '<ul class="dropdown-menu"><li><a class="dropdown-item" href="{url}"><i class="bi bi-{icon}"></i> {label}</a></li>'
    '{children}</ul></li>\n'
)
_CHILD = '<li><a class="dropdown-item{active}" href="{url}"><i class="bi bi-{icon}"></i> {label}</a></li>'


def menu_html(request) -> SafeString:
    """``menu_for`` as the navbar's ``<li>`` items (every value through ``html.escape``, as
    ``{{ }}`` would; built here rather than in base.html, where it was a tenth of every page's
    rendering)."""
    e = lambda value: html.escape(str(value))  # noqa: E731
    out = []
    for item in menu_for(request):
        active = " active" if item["active"] else ""
        if item["children"]:
            children = "".join(
                _CHILD.format(active=" active" if c["active"] else "", url=e(c["url"]), icon=e(c["icon"]), label=e(c["label"]))
                for c in item["children"])
            out.append(_DROPDOWN.format(active=active, url=e(item["url"]), icon=e(item["icon"]), label=e(item["label"]),
                                        children=children))
        else:
            out.append(_TOP.format(active=active, url=e(item["url"]), icon=e(item["icon"]), label=e(item["label"])))
    return mark_safe("".join(out))  # noqa: S308 — every value went through html.escape
