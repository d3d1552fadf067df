"""Scope in one place: which orgs a user reaches for an action.

Every list, detail, download, export and count in qingdan filters through
``visible_to``. It is one SQL query whatever the number of orgs or grants:
an ``EXISTS`` over the user's current guardian grants, matching the granted
org's materialized path as a prefix of each candidate's path.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import timezone

from .models import OrgUnit, OrgUnitUserObjectPermission
from .roles import PERMISSION, REACH, Action


def current_grants(user, action: str | tuple, on=None):
    """The user's grants for ``action`` (or any of a tuple of actions) in force on date ``on``
    (today by default)."""
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
    """OrgUnits that ``user`` reaches for ``action`` (a lazy queryset, one query)."""
    action = Action(action)
    if user is None or not user.is_authenticated or not user.is_active:
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
    if action in (Action.WORK, Action.REVIEW):
        qs = qs.filter(is_active=True)
    return qs


def visible_ids(user, action: str = Action.VIEW) -> list[int] | None:
    """The ids of ``visible_to(user, action)``, or ``None`` when that is every org there is: a
    caller may then leave out its org filter — the same rows, and a plan free to use other
    indexes (county staff's lists need no list of hundreds of ids).

    For the subtree actions (view, manage, sensitive) it reads the user's grants first (a small
    query, no EXISTS over every org's path), then either the roots — if a grant sits on a root
    and every root is granted, that is every org — or the orgs under the granted ones. Self-reach
    actions and superusers go through ``visible_to`` (one query, the total riding along)."""
    action = Action(action)
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if REACH[action] == "subtree" and not user.is_superuser:
        paths = sorted({p for p in current_grants(user, action).values_list("content_object__path", flat=True)})
        tops = [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]
        if not tops:
            return []
        if any(len(p) == OrgUnit.steplen for p in tops):  # a root is granted: are they all?
            if set(OrgUnit.objects.filter(depth=1).values_list("path", flat=True)) <= set(tops):
                return None
        under = Q()
        for p in tops:
            under |= Q(path__startswith=p)
        return list(OrgUnit.objects.filter(under).order_by().values_list("pk", flat=True))
    total = Subquery(OrgUnit.objects.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n"))
    rows = list(visible_to(user, action).order_by().annotate(total=total).values_list("pk", "total"))
    if not rows:
        return []
    return None if len(rows) == rows[0][1] else [pk for pk, _ in rows]


@dataclass(frozen=True)
class SelfReach:
    """What ``visible_to(user, action)`` gives for an action that reaches only the granted org
    itself (work, review), as literal ids: ``None`` means every active org (a superuser)."""

    ids: tuple[int, ...] | None

    def q(self, field: str | None = None) -> Q:
        """A filter on ``field`` (an OrgUnit foreign key; None: the OrgUnit itself)."""
        prefix = f"{field}__" if field else ""
        if self.ids is None:
            return Q(**{f"{prefix}is_active": True})
        return Q(**{f"{field}_id__in" if field else "pk__in": self.ids})


def self_reach(user, actions: tuple[str, ...], on=None) -> dict[str, SelfReach]:
    """``visible_to`` for actions of reach "self", several at once, as literals: ONE small query
    over the user's grants. A page that filters by them (我的任务: work and review) is cheaper
    to build and to plan than with the EXISTS subqueries — the same orgs (tests/accounts/
    test_scope.py checks every role × action)."""
    actions = tuple(Action(a) for a in actions)
    if any(REACH[a] != "self" for a in actions):
        raise ValueError("self_reach is for actions that reach the granted org only")
    if user is None or not user.is_authenticated or not user.is_active:
        return {a: SelfReach(()) for a in actions}
    if user.is_superuser:
        return {a: SelfReach(None) for a in actions}
    by_codename = {PERMISSION[a]: a for a in actions}
    found: dict[str, set[int]] = {a: set() for a in actions}
    for codename, org_id in current_grants(user, actions, on).values_list("permission__codename", "content_object_id"):
        found[by_codename[codename]].add(org_id)
    return {a: SelfReach(tuple(sorted(ids))) for a, ids in found.items()}


def can(user, action: str, org) -> bool:
    """Does ``user`` reach ``org`` for ``action``? (one query)"""
    if org is None:
        return False
    return visible_to(user, action).filter(pk=org.pk).exists()


def get_visible_or_404(queryset, user, *, org_field: str = "org", action: str = Action.VIEW, **lookup):
    """Fetch one object whose org the user can see; otherwise 404 (existence is not revealed)."""
    orgs = visible_to(user, action)
    try:
        return queryset.filter(**{f"{org_field}__in": orgs}).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def scope_roots(user, action: str = Action.VIEW):
    """The top-most orgs of the user's reach (for headings and tree pickers)."""
    orgs = list(visible_to(user, action).only("path", "depth", "name", "kind", "code"))
    paths = sorted(o.path for o in orgs)
    roots, last = [], None
    for p in paths:
        if last is None or not p.startswith(last):
            roots.append(p)
            last = p
    by_path = {o.path: o for o in orgs}
    return [by_path[p] for p in roots]
