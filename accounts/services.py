"""Rules of the accounts app: memberships, grants, password and lockout events."""

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from . import audit
from .models import Membership, OrgUnit, OrgUnitUserObjectPermission, User
from .roles import PERMISSION, ROLE_ACTIONS
from .scope import forget_cached_answers


@dataclass(frozen=True)
class GrantSpec:
    org_id: int
    action: str
    valid_from: date | None
    valid_until: date | None


# Other apps register callables user -> iterable of GrantSpec (e.g. an inspection
# team's time-limited access). accounts never imports them.
GRANT_PROVIDERS: list[Callable[[User], Iterable[GrantSpec]]] = []


def register_grant_provider(func):
    GRANT_PROVIDERS.append(func)
    return func


def _membership_grants(user) -> Iterable[GrantSpec]:
    today = timezone.localdate()
    for m in Membership.objects.filter(user=user).exclude(end_date__lt=today):
        for action in ROLE_ACTIONS[m.role]:
            yield GrantSpec(m.org_id, action, m.start_date, m.end_date)


def _merge(specs: Iterable[GrantSpec]) -> dict[tuple[int, str], tuple]:
    """One grant per (org, action): the widest window of its sources."""
    merged: dict[tuple[int, str], tuple] = {}
    for s in specs:
        key = (s.org_id, str(s.action))
        if key not in merged:
            merged[key] = (s.valid_from, s.valid_until)
            continue
        f, u = merged[key]
        f = None if f is None or s.valid_from is None else min(f, s.valid_from)
        u = None if u is None or s.valid_until is None else max(u, s.valid_until)
        merged[key] = (f, u)
    return merged


@transaction.atomic
def sync_grants(user) -> tuple[int, int]:
    """Make the user's guardian grants equal to what memberships and providers give.

    Returns (added, removed). Idempotent; every change is audited."""
    specs = list(_membership_grants(user))
    for provider in GRANT_PROVIDERS:
        specs.extend(provider(user))
    wanted = _merge(specs)
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="accounts", codename__in=PERMISSION.values())}
    existing = {
        (g.content_object_id, _action_of(g.permission.codename)): g
        for g in OrgUnitUserObjectPermission.objects.filter(user=user).select_related("permission")
    }
    added = removed = 0
    for key, grant in existing.items():
        if key not in wanted:
            audit.record("grant.removed", obj=grant.content_object, detail_user=user.username, permission=key[1])
            grant.delete()
            removed += 1
        elif (grant.valid_from, grant.valid_until) != wanted[key]:
            grant.valid_from, grant.valid_until = wanted[key]
            grant.save(update_fields=["valid_from", "valid_until"])
    for key, (vf, vu) in wanted.items():
        if key in existing:
            continue
        org_id, action = key
        grant = OrgUnitUserObjectPermission.objects.create(
            user=user, permission=perms[PERMISSION[action]], content_object_id=org_id, valid_from=vf, valid_until=vu
        )
        audit.record(
            "grant.added", obj=grant.content_object, detail_user=user.username, permission=action,
            valid_from=str(vf or ""), valid_until=str(vu or ""),
        )
        added += 1
    return added, removed


def _action_of(codename: str) -> str:
    for action, code in PERMISSION.items():
        if code == codename:
            return str(action)
    return codename


def sync_all_grants() -> tuple[int, int]:
    """Daily job: drop grants whose window has ended, add those that begin."""
    added = removed = 0
    user_ids = set(Membership.objects.values_list("user_id", flat=True))
    user_ids |= set(OrgUnitUserObjectPermission.objects.values_list("user_id", flat=True))
    for user in User.objects.filter(pk__in=user_ids):
        a, r = sync_grants(user)
        added += a
        removed += r
    return added, removed


@transaction.atomic
def add_membership(user, org, role, *, title="", start_date=None, end_date=None) -> Membership:
    m = Membership.objects.create(
        user=user, org=org, role=role, title=title,
        start_date=start_date or timezone.localdate(), end_date=end_date,
    )
    return m


@transaction.atomic
def end_membership(membership, on=None) -> Membership:
    membership.end_date = on or timezone.localdate()
    membership.save(update_fields=["end_date"])
    return membership


@transaction.atomic
def move_org(org: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Move an org (and its subtree) under another parent. Scope follows at once: the policy
    works on paths (and forgets what it cached for the request)."""
    old_parent = org.get_parent()
    org.move(new_parent, pos="last-child")
    org.refresh_from_db()
    forget_cached_answers()
    audit.record("org.moved", obj=org, old_parent=str(old_parent), new_parent=str(new_parent))
    return org


def memberships_of(user, on=None):
    return Membership.objects.filter(user=user).current(on).select_related("org")
