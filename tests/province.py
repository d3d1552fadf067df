"""A small province tree: a 市 / province root over two counties, each with a town and a village:

基准市 P (province)     p_staff   commission_staff
├── 甲县 A (county)     a_staff   commission_staff
│   └── 甲镇 A-T        a_t_disc  discipline_secretary
│       └── 甲村 A-T-V
└── 乙县 B (county)     b_staff   commission_staff
    └── 乙镇 B-T        b_t_disc  discipline_secretary
        └── 乙村 B-T-V

Orgs exist since 2020 (generation looks at creation dates); password as tests/county.py.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from accounts.models import Membership, OrgKind, OrgUnit, User
from accounts.roles import Role
from tests.county import County, make_user


@dataclass
class Province:
    root: OrgUnit
    a: OrgUnit
    a_town: OrgUnit
    a_village: OrgUnit
    b: OrgUnit
    b_town: OrgUnit
    b_village: OrgUnit
    users: dict[str, User] = field(default_factory=dict)

    __getattr__ = County.__getattr__  # a user by username: province.a_staff


def _county(root: OrgUnit, code: str, name: str) -> tuple[OrgUnit, OrgUnit, OrgUnit]:
    root.refresh_from_db()
    county = root.add_child(name=f"{name}县", code=code, kind=OrgKind.COUNTY)
    town = county.add_child(name=f"{name}镇", code=f"{code}-T", kind=OrgKind.TOWN, subkind="镇")
    village = town.add_child(name=f"{name}村", code=f"{code}-T-V", kind=OrgKind.VILLAGE, subkind="村")
    return county, town, village


def build_province() -> Province:
    root = OrgUnit.add_root(name="基准市", code="P", kind=OrgKind.PROVINCE, subkind="市")
    p = Province(root, *_county(root, "A", "甲"), *_county(root, "B", "乙"))
    for username, org, role in [
        ("p_staff", root, Role.COMMISSION_STAFF), ("a_staff", p.a, Role.COMMISSION_STAFF),
        ("b_staff", p.b, Role.COMMISSION_STAFF), ("a_t_disc", p.a_town, Role.DISCIPLINE_SECRETARY),
        ("b_t_disc", p.b_town, Role.DISCIPLINE_SECRETARY),
    ]:
        p.users[username] = make_user(username)
        Membership.objects.create(user=p.users[username], org=org, role=role, start_date=date(2020, 1, 1))
    OrgUnit.objects.update(created_at=datetime(2020, 1, 1, tzinfo=UTC))
    for o in (p.root, p.a, p.a_town, p.a_village, p.b, p.b_town, p.b_village):
        o.refresh_from_db()
    return p
