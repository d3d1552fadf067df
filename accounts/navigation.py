"""The navigation menu: each app registers its entries in AppConfig.ready(); accounts never
imports them. Which entries a user sees is the authorisation policy's answer (an entry names
the action the user must reach on some org, or on a root org); the entries are rendered by
templates/partials/navbar_menu.html, cached as a fragment per (entries shown, active entry,
language).

Officers who see only their own org (a village's, see ``scope.reaches_below``) get a short
flat menu: the entries registered with ``grassroots=True`` that they may see (at most
``GRASSROOTS_MAX``); everyone else gets every entry they may see, staff entries grouped in
drop-downs."""

from dataclasses import dataclass, field

from django.urls import get_script_prefix, get_urlconf, reverse

from .scope import is_administrator, opens, reaches, reaches_below

GRASSROOTS_MAX = 5


@dataclass(order=True)
class MenuEntry:
    order: int
    label: str = field(compare=False)
    url_name: str = field(compare=False)
    icon: str = field(compare=False, default="circle")
    action: str | None = field(compare=False, default=None)
    county_wide: bool = field(compare=False, default=False)
    tree_wide: bool = field(compare=False, default=False)
    parent: str | None = field(compare=False, default=None)
    rule: object = field(compare=False, default=None)
    grassroots: bool = field(compare=False, default=False)

    def visible_to(self, user) -> bool:
        """Shown to the users a policy ``rule`` (a predicate of accounts.scope, e.g. onboards)
        admits, to users reaching ``action`` on some org (on a county or above with ``county_wide``,
        on a root org with ``tree_wide``), or —
        with neither — to everyone signed in; never to an administrator the page is not for."""
        if not opens(user, self.url_name):
            return False
        if self.rule is not None:
            return self.rule(user)
        return self.action is None or reaches(user, self.action, county_wide=self.county_wide, tree_wide=self.tree_wide)


_ENTRIES: list[MenuEntry] = []


def register(label, url_name, *, icon="circle", order=100, action=None, county_wide=False, tree_wide=False, parent=None,
             rule=None, grassroots=False):
    """A menu entry. With ``parent`` (the url_name of another entry) it goes into that
    entry's drop-down instead of the top bar, which must stay one line at 1366 px. With
    ``grassroots`` it is also one of the few entries of a village officer's menu."""
    if any(e.url_name == url_name for e in _ENTRIES):
        return
    _ENTRIES.append(MenuEntry(order, label, url_name, icon, action, county_wide, tree_wide, parent, rule, grassroots))
    _ENTRIES.sort()


_ENTRY_URLS: dict[tuple, str] = {}


def _entry_url(url_name: str) -> str:
    """A menu entry's URL, reversed once per URLconf and script prefix."""
    key = (get_urlconf(), get_script_prefix(), url_name)
    if key not in _ENTRY_URLS:
        _ENTRY_URLS[key] = reverse(url_name)
    return _ENTRY_URLS[key]


def _item(request, e):
    url = _entry_url(e.url_name)
    return {"label": e.label, "url": url, "icon": e.icon, "children": [], "url_name": e.url_name,
            "active": request.path == url or (url != "/" and request.path.startswith(url))}


def menu_for(request):
    """Top-level entries the user may see, each with the visible entries of its drop-down
    (``children``; a child is only asked for its visibility when its parent is shown)."""
    items, by_name = [], {}
    if not reaches_below(request.user) and not is_administrator(request.user):  # an officer of one unit
        shown = [e for e in _ENTRIES if e.grassroots and e.visible_to(request.user)]
        return [_item(request, e) for e in shown[:GRASSROOTS_MAX]]
    for e in _ENTRIES:
        if e.parent is None and e.visible_to(request.user):
            item = _item(request, e)
            items.append(item)
            by_name[e.url_name] = item
    for e in _ENTRIES:
        parent = by_name.get(e.parent) if e.parent else None
        if parent is not None and e.visible_to(request.user):
            child = _item(request, e)
            parent["children"].append(child)
            parent["active"] = parent["active"] or child["active"]
    return items


def menu_key(items) -> str:
    """What the rendered menu depends on besides the language: the entries shown and which is
    active (the navbar template caches its fragment under it)."""
    return "|".join(f"{i['url_name']}{'*' if i['active'] else ''}"
                    + "".join(f",{c['url_name']}{'*' if c['active'] else ''}" for c in i["children"]) for i in items)
