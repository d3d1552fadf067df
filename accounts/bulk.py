"""Bulk building of an org tree with its people (demo county and benchmark county).

treebeard's ``add_child`` costs several queries per node; here the materialised
paths are computed directly (steplen 4, treebeard's alphabet) and everything is
written with ``bulk_create``: orgs, users (one password hash shared by all),
memberships and their guardian grants. Membership signals are bypassed, so the
grants are written here exactly as ``services.sync_grants`` would write them, and
one audit row records the whole operation.
"""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import audit
from .models import Membership, OrgUnit, OrgUnitUserObjectPermission, User
from .roles import PERMISSION, ROLE_ACTIONS

BATCH = 2000


@dataclass
class OrgSpec:
    code: str
    name: str
    kind: str
    subkind: str = ""
    children: list["OrgSpec"] = field(default_factory=list)
    # (username, full name, role, title) held at this org
    people: list[tuple[str, str, str, str]] = field(default_factory=list)


@dataclass
class BuildResult:
    root: OrgUnit
    orgs: int = 0
    users: int = 0
    memberships: int = 0
    grants: int = 0


def _next_root_path() -> str:
    last = OrgUnit.objects.filter(depth=1).aggregate(m=Max("path"))["m"]
    pos = OrgUnit._str2int(last) + 1 if last else 1
    return OrgUnit._get_path(None, 1, pos)


def grants_for(memberships) -> list[OrgUnitUserObjectPermission]:
    """The guardian grants that ``sync_grants`` would write for these new memberships
    (one per user, permission and org; valid from the earliest start)."""
    perms = dict(
        Permission.objects.filter(content_type__app_label="accounts", codename__in=PERMISSION.values())
        .values_list("codename", "pk")
    )
    grants: dict[tuple, date] = {}
    for m in memberships:
        for action in ROLE_ACTIONS[m.role]:
            key = (m.user_id, perms[PERMISSION[action]], m.org_id)
            grants[key] = min(grants.get(key, m.start_date), m.start_date)
    return [
        OrgUnitUserObjectPermission(user_id=u, permission_id=p, content_object_id=o, valid_from=vf)
        for (u, p, o), vf in grants.items()
    ]


@transaction.atomic
def build(root: OrgSpec, *, password: str, start: date, must_change_password: bool = False) -> BuildResult:
    """Create ``root`` (a new tree root) and everything below it, with its people.

    Refuses codes or usernames that already exist (the caller decides what is idempotent)."""
    orgs: list[OrgUnit] = []
    people: list[tuple[OrgUnit, tuple]] = []

    def walk(spec: OrgSpec, path: str, depth: int):
        org = OrgUnit(
            path=path, depth=depth, numchild=len(spec.children), code=spec.code, name=spec.name,
            kind=spec.kind, subkind=spec.subkind, is_active=True,
        )
        orgs.append(org)
        people.extend((org, p) for p in spec.people)
        for i, child in enumerate(spec.children, start=1):
            walk(child, OrgUnit._get_path(path, depth + 1, i), depth + 1)

    walk(root, _next_root_path(), 1)
    OrgUnit.objects.bulk_create(orgs, batch_size=BATCH)
    by_code = dict(OrgUnit.objects.filter(code__in=[o.code for o in orgs]).values_list("code", "pk"))
    for o in orgs:
        o.pk = by_code[o.code]

    hashed = make_password(password)
    users = {}
    for _org, (username, full_name, _role, _title) in people:
        if username.lower() not in users:
            users[username.lower()] = User(
                username=username, full_name=full_name, password=hashed, is_active=True,
                must_change_password=must_change_password,
            )
    now = timezone.now()
    for u in users.values():
        u.password_changed_at = now
    User.objects.bulk_create(users.values(), batch_size=BATCH)
    user_ids = dict(User.objects.filter(username__in=[u.username for u in users.values()]).values_list("username", "pk"))

    memberships = [
        Membership(user_id=user_ids[users[username.lower()].username], org_id=org.pk, role=role, title=title, start_date=start)
        for org, (username, _fn, role, title) in people
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH)

    grants = grants_for(memberships)
    OrgUnitUserObjectPermission.objects.bulk_create(grants, batch_size=BATCH)
    root_org = orgs[0]
    result = BuildResult(root_org, len(orgs), len(users), len(memberships), len(grants))
    audit.record(
        "org.tree_built", obj=root_org, orgs=result.orgs, users=result.users,
        memberships=result.memberships, grants=result.grants,
    )
    return result
