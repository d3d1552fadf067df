"""The demo county of `make run`: an org tree with a user for every role.

Idempotent: orgs are found by code, users by username; running it again changes
nothing. Other apps add their own demo data through ``<app>.demo.seed(stdout)``,
called by ``manage.py seed_demo`` after this one.
"""

from datetime import date

from django.conf import settings
from django.db import transaction

from .models import Membership, OrgUnit, User
from .roles import Role
from .services import add_membership

DEMO_PASSWORD = "Qingdan@2026"

TOWNS = [
    ("T01", "城关镇", "镇", [("T01-V01", "东关村", "村"), ("T01-V02", "西关社区", "社区"), ("T01-V03", "南街村", "村")]),
    ("T02", "河口镇", "镇", [("T02-V01", "河口村", "村"), ("T02-V02", "柳树村", "村")]),
    ("T03", "石桥乡", "乡", [("T03-V01", "石桥村", "村"), ("T03-V02", "北山村", "村")]),
]
DEPARTMENTS = [("D-JW", "县纪委监委"), ("D-XWB", "县委办"), ("D-ZZB", "县委组织部")]

# (username, full name, org code, role)
ACCOUNTS = [
    ("jw_staff", "王纪检", "C", Role.COMMISSION_STAFF),
    ("county_party", "李书记", "C", Role.PARTY_SECRETARY),
    ("t01_party", "张镇书记", "T01", Role.PARTY_SECRETARY),
    ("t01_disc", "刘纪委书记", "T01", Role.DISCIPLINE_SECRETARY),
    ("t01_clerk", "陈联络员", "T01", Role.CLERK),
    ("t02_disc", "赵纪委书记", "T02", Role.DISCIPLINE_SECRETARY),
    ("t03_disc", "孙纪委书记", "T03", Role.DISCIPLINE_SECRETARY),
    ("v0101_party", "周村书记", "T01-V01", Role.PARTY_SECRETARY),
    ("v0101_disc", "吴纪检委员", "T01-V01", Role.DISCIPLINE_SECRETARY),
    ("v0102_disc", "郑纪检委员", "T01-V02", Role.DISCIPLINE_SECRETARY),
]


def _org(parent, code, name, kind, subkind=""):
    org = OrgUnit.objects.filter(code=code).first()
    if org is None:
        if parent is None:
            org = OrgUnit.add_root(code=code, name=name, kind=kind, subkind=subkind)
        else:
            parent.refresh_from_db()
            org = parent.add_child(code=code, name=name, kind=kind, subkind=subkind)
    return org


@transaction.atomic
def build_tree() -> OrgUnit:
    county = _org(None, "C", getattr(settings, "COUNTY_NAME", "示范县"), "county")
    for code, name in DEPARTMENTS:
        _org(county, code, name, "department")
    for code, name, subkind, villages in TOWNS:
        town = _org(county, code, name, "town", subkind)
        for vcode, vname, vsub in villages:
            _org(town, vcode, vname, "village", vsub)
    return county


@transaction.atomic
def seed(stdout=None) -> list[tuple[str, str, str, str]]:
    """Build the tree and the demo users; return (username, name, org, role label) rows."""
    build_tree()
    rows = []
    start = date(date.today().year, 1, 1)
    for username, full_name, code, role in ACCOUNTS:
        org = OrgUnit.objects.get(code=code)
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, must_change_password=False)
            user.set_password(DEMO_PASSWORD)
            user.save()
        if not Membership.objects.filter(user=user, org=org, role=role).exists():
            add_membership(user, org, role, start_date=start)
        rows.append((username, full_name, org.name, str(Role(role).label)))
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User(username="admin", full_name="系统管理员", is_staff=True, is_superuser=True,
                     must_change_password=False)
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    rows.append(("admin", admin.full_name, "—", "superuser (/admin/)"))
    return rows
