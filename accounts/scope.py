"""The authorisation policy: which orgs a user reaches for an action, and whether the user may do
an action on an object. Every list, detail, download, export, count, menu entry and template
check asks this module; no app keeps its own role check.

Grants live in django-guardian as object permissions on ``OrgUnit``; accounts/roles.py says
which role grants which action and how far each action reaches (the org's subtree, or the org
itself). From the grants in force today:

* ``Model.objects.restrict(user, action)`` — the rows of an org-owned model the user reaches
  (``RestrictedQuerySet``: each model names its org field and, where it needs one, its own rule —
  a task is seen by whoever views its org or reviews its review org);
* ``can(user, action, obj)`` — may the user do ``action`` on this org or object;
* ``reaches(user, action, county_wide=False, tree_wide=False)`` — does the user reach ``action``
  on some org (with ``county_wide``, on a county or an org above counties — county staff, whose
  pages then show what their reach holds; with ``tree_wide``, on a root org — the staff who set
  what holds for the whole tree: duty lists, the scoring rule, reminder settings): menu entries,
  page guards, template checks. Where the root is the county, the two are the same;
* ``visible_to(user, action, on=None)`` — the orgs as one lazy SQL query, for another day than
  today or to nest inside another query;
* ``get_visible_or_404``, ``scope_roots`` and ``top_most`` (the top-most of a list of orgs);
* the administrators (三员分立, roles.AdminRole): ``administers(user, duty)``, ``admin_may``
  (the administration site's model permissions), ``opens`` (the pages an administrator may
  open at all) and ``manageable_accounts``. An administrator reaches no org. The Django
  superuser is the break-glass account: he may do everything, and is audited for it.

The answers for today come from the user's grants read once (one small query) and turned into
literal org ids (or "every org"): inside a request they are cached for the request's life
(``request_cache``, entered by accounts.middleware.RequestIdMiddleware and emptied whenever a
grant changes); outside a request (commands, workers) they are read again on each call.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import timezone

from .lookups import InIds
from .roles import ADMIN_DUTIES, ADMIN_MODELS, ADMIN_ROUTES, PERMISSION, REACH, Action, Duty

_CACHE: ContextVar[dict | None] = ContextVar("qingdan_policy", default=None)


@contextmanager
def request_cache():
    """Cache the policy's answers for the block (one request)."""
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def forget_cached_answers() -> None:
    """A grant changed: answers cached for the current request are stale."""
    cache = _CACHE.get()
    if cache is not None:
        cache.clear()


def _cached(key, compute):
    cache = _CACHE.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _admin_role(user) -> str:
    """The signed-in user's administrator role ("" for everyone else; the superuser is above
    the roles)."""
    return getattr(user, "admin_role", "") if _signed_in(user) and not user.is_superuser else ""


def current_grants(user, action: str | tuple, on=None):
    """The user's grants for ``action`` (or any of a tuple of actions) in force on date ``on``
    (today by default), on active orgs."""
    from .models import OrgUnitUserObjectPermission

    on = on or timezone.localdate()
    actions = action if isinstance(action, tuple) else (action,)
    return OrgUnitUserObjectPermission.objects.filter(
        user_id=user.pk,
        permission__codename__in=[PERMISSION[Action(a)] for a in actions],
        permission__content_type__app_label="accounts",
        content_object__is_active=True,
    ).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
    )


def visible_to(user, action: str = Action.VIEW, on=None):
    """OrgUnits that ``user`` reaches for ``action`` on date ``on`` (a lazy queryset, one query:
    an EXISTS over the grants, the granted org's path a prefix of the candidate's)."""
    from .models import OrgUnit

    action = Action(action)
    if not _signed_in(user) or _admin_role(user):
        return OrgUnit.objects.none()
    if user.is_superuser:
        qs = OrgUnit.objects.all()
    else:
        grants = current_grants(user, action, on)
        if REACH[action] == "self":
            grants = grants.filter(content_object_id=OuterRef("pk"))
        else:
            grants = grants.filter(
                content_object__path=Substr(OuterRef("path"), 1, Length("content_object__path"))
            )
        qs = OrgUnit.objects.filter(Exists(grants))
    if REACH[action] == "self":
        qs = qs.filter(is_active=True)
    return qs


# --- today's answer as literal ids ---------------------------------------------------------

@dataclass(frozen=True)
class _Reach:
    """The orgs a user reaches for one action today: ``every`` org there is (for actions that
    reach only the granted org: every active org), or the orgs ``ids``."""

    every: bool
    ids: frozenset[int]
    active_only: bool

    def q(self, field: str | None = None) -> Q | None:
        """A filter putting ``field`` (a path to a non-null OrgUnit foreign key; None: the
        OrgUnit itself) in reach, or None when no filter is needed."""
        if self.every:  # (org fields are never null)
            return Q(**{f"{field}__is_active" if field else "is_active": True}) if self.active_only else None
        column = f"{field}_id" if field else "pk"
        if not self.ids:
            return Q(**{f"{column}__in": []})  # nothing: Django skips the query
        return Q(InIds(F(column), self.ids))

    def __contains__(self, org) -> bool:
        if self.every:
            return org.is_active or not self.active_only
        return org.pk in self.ids


_NOWHERE = _Reach(False, frozenset(), False)


def _grants_today(user) -> tuple[tuple[str, int, str, str], ...]:
    """(action, org id, org path, org kind) of every grant in force today (one query, cached)."""
    def read():
        by_codename = {codename: action for action, codename in PERMISSION.items()}
        rows = current_grants(user, tuple(Action)).values_list(
            "permission__codename", "content_object_id", "content_object__path", "content_object__kind")
        return tuple((by_codename[c], pk, path, kind) for c, pk, path, kind in rows)

    return _cached(("grants", user.pk), read)


def _root_paths() -> frozenset[str]:
    from .models import OrgUnit

    return _cached(("roots",), lambda: frozenset(OrgUnit.objects.filter(depth=1).values_list("path", flat=True)))


def _reach(user, action: str) -> _Reach:
    action = Action(action)
    if not _signed_in(user) or _admin_role(user):
        return _NOWHERE
    if user.is_superuser:
        return _Reach(True, frozenset(), REACH[action] == "self")
    return _cached(("reach", user.pk, action), lambda: _reach_from_grants(user, action))


def top_most(orgs, path=lambda o: o.path) -> list:
    """The orgs (or, with ``path=str``, paths) not under another of them, in path order."""
    tops: list = []
    for o in sorted(orgs, key=path):
        if not tops or not path(o).startswith(path(tops[-1])):
            tops.append(o)
    return tops


def _reach_from_grants(user, action: Action) -> _Reach:
    from .models import OrgUnit

    granted = [(pk, path) for a, pk, path, _kind in _grants_today(user) if a == action]
    if REACH[action] == "self":  # the granted (active) orgs themselves
        return _Reach(False, frozenset(pk for pk, _path in granted), True)
    tops = top_most({path for _pk, path in granted}, path=str)  # the granted orgs not under another
    if not tops:
        return _NOWHERE
    if any(len(p) == OrgUnit.steplen for p in tops) and _root_paths() <= set(tops):
        return _Reach(True, frozenset(), False)
    under = Q()
    for p in tops:
        under |= Q(path__startswith=p)
    return _Reach(False, frozenset(OrgUnit.objects.filter(under).order_by().values_list("pk", flat=True)), False)


def _where(user, rules) -> Q | None:
    """Rows where any (org field, action) rule holds; None: every row."""
    where = None
    for field, action in rules:
        q = _reach(user, action).q(field)
        if q is None:
            return None
        where = q if where is None else where | q
    return where


# --- the public questions ------------------------------------------------------------------

class RestrictedQuerySet(models.QuerySet):
    """A queryset of an org-owned model: ``restrict(user, action)`` keeps the rows the user
    reaches for ``action``. ``org_field`` is the path to the row's org; ``rules`` may give an
    action its own rule — (org field, action) pairs, a row being in reach when any holds."""

    org_field = "org"
    rules: dict[str, tuple[tuple[str, str], ...]] = {}

    def restrict(self, user, action: str = Action.VIEW):
        action = Action(action)
        where = _where(user, self.rules.get(action, ((self.org_field, action),)))
        return self if where is None else self.filter(where)


def restricted_manager(org_field: str = "org", rules: dict | None = None):
    """``objects`` for an org-owned model (``org_field``, ``rules``: see RestrictedQuerySet)."""
    queryset = type("RestrictedQuerySet", (RestrictedQuerySet,), {"org_field": org_field, "rules": rules or {}})
    return queryset.as_manager()


def can(user, action: str, obj) -> bool:
    """May ``user`` do ``action`` on ``obj`` — an org, or a row of a RestrictedQuerySet model?"""
    from .models import OrgUnit

    if obj is None:
        return False
    if isinstance(obj, OrgUnit):
        return obj in _reach(user, action)
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()


def reaches(user, action: str, *, county_wide: bool = False, tree_wide: bool = False) -> bool:
    """Does ``user`` reach ``action`` on some org — with ``county_wide``, on a county or an org
    above counties (county staff); with ``tree_wide``, on a root org (the staff of the whole
    tree)? Menu entries and page guards ask this."""
    from .models import COUNTY_OR_ABOVE, OrgUnit

    action = Action(action)
    if not _signed_in(user) or _admin_role(user):
        return False
    if user.is_superuser:
        return True
    return any(a == action and (not county_wide or kind in COUNTY_OR_ABOVE)
               and (not tree_wide or len(path) == OrgUnit.steplen)
               for a, _pk, path, kind in _grants_today(user))


def reaches_below(user) -> bool:
    """Does the user see any org below the orgs where their roles are held (a town's or the
    county's officers), or only those orgs themselves (a village's officers, a department
    without units)? Menus show the latter only what they use."""
    if not _signed_in(user):
        return False
    view = _reach(user, Action.VIEW)
    if view.every:
        return True
    held = {pk for _a, pk, _path, _kind in _grants_today(user)}
    return bool(view.ids - held)


def administers(user, duty: str) -> bool:
    """Does ``user`` hold an administrator role with this duty (roles.ADMIN_DUTIES)? The
    break-glass superuser holds every duty."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return Duty(duty) in ADMIN_DUTIES.get(_admin_role(user), ())


def onboards(user) -> bool:
    """Bulk onboarding of the org tree and accounts (it can create county-wide staff accounts):
    the security administrator's."""
    return administers(user, Duty.ONBOARD)


def reads_audit(user) -> bool:
    """The audit trail's viewer and export: the audit administrator's."""
    return administers(user, Duty.READ_AUDIT)


def admin_may(user, perm: str) -> bool:
    """A model permission of the administration site (``"app_label.action_model"``), for an
    administrator role: roles.ADMIN_MODELS. (Superusers get every permission from Django.)"""
    models_ = ADMIN_MODELS.get(_admin_role(user))
    if not models_ or "." not in perm:
        return False
    app_label, codename = perm.split(".", 1)
    operation, _sep, model = codename.partition("_")
    return operation in models_.get(f"{app_label}.{model}", ())


def is_administrator(user) -> bool:
    """Does the user hold one of the three administrator roles?"""
    return bool(_admin_role(user))


def requires_second_factor(user) -> bool:
    """Must ``user`` sign in with a second factor (TOTP, accounts/twofactor.py)? County staff
    (manage on a county or above), the three administrators and the break-glass superuser must; anyone
    else may enrol."""
    if not _signed_in(user):
        return False
    return is_administrator(user) or reaches(user, Action.MANAGE, county_wide=True)


def secures_accounts(user) -> bool:
    """Unlocks and second-factor resets: the security administrator's (the menu's question)."""
    return administers(user, Duty.SECURE_ACCOUNTS)


def admin_modules(user) -> set[str]:
    """The apps whose models an administrator role works on in the administration site."""
    return {label.split(".")[0] for label in ADMIN_MODELS.get(_admin_role(user), {})}


def opens(user, view_name: str) -> bool:
    """May ``user`` open the page named ``view_name`` (``namespace:name``) at all? Everyone but
    an administrator may (each page then asks its own question); an administrator only the pages
    of roles.ADMIN_ROUTES — everything else is refused before any view runs."""
    role = _admin_role(user)
    if not role:
        return True
    allowed = ADMIN_ROUTES[role]
    namespace = view_name.rpartition(":")[0]
    return view_name in allowed or (namespace != "" and f"{namespace.split(':')[0]}:*" in allowed)


def manageable_accounts(user):
    """The accounts ``user`` may edit in the administration site: the system administrator edits
    every account but the administrators' and superusers' (he cannot give himself or anyone
    another administrator role); the superuser edits all."""
    from .models import User

    if not administers(user, Duty.MANAGE_ACCOUNTS):
        return User.objects.none()
    if administers(user, Duty.ASSIGN_ADMIN_ROLES):
        return User.objects.all()
    return User.objects.filter(is_superuser=False, admin_role="")


def securable_accounts(user):
    """The accounts whose lockouts and second factors ``user`` may reset: the security
    administrator's, never his own nor a superuser's."""
    from .models import User

    if not administers(user, Duty.SECURE_ACCOUNTS):
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(is_superuser=False).exclude(pk=user.pk)


def get_visible_or_404(queryset, user, *, action: str = Action.VIEW, **lookup):
    """Fetch one object of a RestrictedQuerySet the user reaches for ``action`` (by the model's
    own rule); otherwise 404 (existence is not revealed)."""
    queryset = queryset.restrict(user, action)
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def scope_roots(user, action: str = Action.VIEW):
    """The top-most orgs of the user's reach (for headings and tree pickers)."""
    from .models import OrgUnit

    action = Action(action)
    orgs = OrgUnit.objects.restrict(user, action).only("path", "depth", "name", "kind", "code")
    if REACH[action] != "self" and _signed_in(user) and not _admin_role(user):
        # a subtree reach's top-most orgs are the roots or the top-most granted orgs: read those
        # (a province's reach holds tens of thousands of orgs)
        orgs = orgs.filter(depth=1) if user.is_superuser else orgs.filter(
            path__in=top_most({path for a, _pk, path, _kind in _grants_today(user) if a == action}, path=str))
    return top_most(orgs)


class Reaches:
    """The policy for templates (the context processor's ``may``): ``{% if may.review %}`` — the
    user reaches review on some org; ``{% if may.county.manage %}`` — on a county or above;
    ``{% if may.tree.manage %}`` — on a root org;
    ``{% if may.admin %}`` — an administrator of the administration site; ``{% if may.audit %}``
    — the audit trail's reader."""

    def __init__(self, user, county_wide: bool = False, tree_wide: bool = False):
        self.user, self.county_wide, self.tree_wide = user, county_wide, tree_wide

    def __getitem__(self, key):
        if key == "county":
            return Reaches(self.user, county_wide=True)
        if key == "tree":
            return Reaches(self.user, tree_wide=True)
        if key == "admin":
            return administers(self.user, Duty.ADMIN_SITE)
        if key == "audit":
            return reads_audit(self.user)
        if key not in Action.values:
            raise KeyError(key)
        return reaches(self.user, key, county_wide=self.county_wide, tree_wide=self.tree_wide)


def require(user, action: str, *, county_wide: bool = False, tree_wide: bool = False) -> None:
    """A page's guard: PermissionDenied unless ``reaches(user, action, county_wide=…, tree_wide=…)``."""
    if not reaches(user, action, county_wide=county_wide, tree_wide=tree_wide):
        raise PermissionDenied
