"""A small standard county used across the suite (healthchecks' alice/bob/charlie,
extended to the tree):

示范县 (county)
├── 县纪委监委 (department)
├── 县委办 (department)
├── 城关镇 town1 ── 东村 v11, 西村 v12
└── 河口镇 town2 ── 南村 v21

Users (password ``Passw0rd!x`` for all):
  staff        commission_staff      @ county
  county_sec   party_secretary       @ county
  t1_party     party_secretary       @ town1
  t1_disc      discipline_secretary  @ town1
  t1_member    member                @ town1
  t1_clerk     clerk                 @ town1
  v11_disc     discipline_secretary  @ v11 (村纪检委员)
  v11_party    party_secretary       @ v11
  v11_clerk    clerk                 @ v11
  t2_disc      discipline_secretary  @ town2   ← outsider for town1
  v21_disc     discipline_secretary  @ v21     ← outsider for v11
  nobody       (no role)
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from accounts.models import Membership, OrgUnit, User
from accounts.roles import Role

PASSWORD = "Passw0rd!x"


@dataclass
class County:
    county: OrgUnit
    commission: OrgUnit
    office: OrgUnit
    town1: OrgUnit
    town2: OrgUnit
    v11: OrgUnit
    v12: OrgUnit
    v21: OrgUnit
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def make_user(username, full_name="", **extra) -> User:
    user = User(username=username, full_name=full_name or username, must_change_password=False, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def build_county(start: date | None = None) -> County:
    start = start or date(2020, 1, 1)
    county = OrgUnit.add_root(name="示范县", code="C", kind="county")
    commission = county.add_child(name="县纪委监委", code="C-JW", kind="department")
    office = county.add_child(name="县委办", code="C-XWB", kind="department")
    town1 = county.add_child(name="城关镇", code="T1", kind="town", subkind="镇")
    town2 = county.add_child(name="河口镇", code="T2", kind="town", subkind="镇")
    town1.refresh_from_db()
    v11 = town1.add_child(name="东村", code="T1-V1", kind="village", subkind="村")
    town1.refresh_from_db()
    v12 = town1.add_child(name="西村", code="T1-V2", kind="village", subkind="村")
    town2.refresh_from_db()
    v21 = town2.add_child(name="南村", code="T2-V1", kind="village", subkind="村")
    c = County(county, commission, office, town1, town2, v11, v12, v21)
    plan = [
        ("staff", county, Role.COMMISSION_STAFF),
        ("county_sec", county, Role.PARTY_SECRETARY),
        ("t1_party", town1, Role.PARTY_SECRETARY),
        ("t1_disc", town1, Role.DISCIPLINE_SECRETARY),
        ("t1_member", town1, Role.MEMBER),
        ("t1_clerk", town1, Role.CLERK),
        ("v11_disc", v11, Role.DISCIPLINE_SECRETARY),
        ("v11_party", v11, Role.PARTY_SECRETARY),
        ("v11_clerk", v11, Role.CLERK),
        ("t2_disc", town2, Role.DISCIPLINE_SECRETARY),
        ("v21_disc", v21, Role.DISCIPLINE_SECRETARY),
    ]
    for username, org, role in plan:
        user = make_user(username)
        Membership.objects.create(user=user, org=org, role=role, start_date=start)
        c.users[username] = user
    c.users["nobody"] = make_user("nobody")
    for o in (county, commission, office, town1, town2, v11, v12, v21):
        o.refresh_from_db()
    return c


def today():
    return timezone.localdate()
