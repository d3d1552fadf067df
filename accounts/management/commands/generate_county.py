"""manage.py generate_county --towns N --villages-per-town M — the benchmark county.

Builds 基准县 (code ``B``) as a new tree root: its 纪委监委 and other departments,
N towns of M villages each, and people at every org (bulk inserts, see
accounts.bulk). 20 × 20 gives 431 orgs and about 2,200 accounts.

Every account's password is ``--password`` (default: the demo password).
Usernames: ``b_staff1``…, ``b_party`` (county), ``bd01_party`` (department 1),
``bt01_disc`` (town 1), ``bt01v01_clerk`` (village 1 of town 1) …
If a county with the code already exists nothing is written (exit status 0).
"""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.bulk import OrgSpec, build
from accounts.demo import DEMO_PASSWORD
from accounts.models import OrgUnit
from accounts.roles import Role

DEPARTMENT_NAMES = [
    "县纪委监委", "县委办", "县政府办", "县委组织部", "县委宣传部", "县委统战部", "县委政法委",
    "县发展改革局", "县财政局", "县教育局", "县公安局", "县自然资源局", "县住建局", "县交通运输局",
    "县农业农村局", "县水利局", "县卫健委", "县市场监管局", "县民政局", "县人社局",
]

ROLE_SHORT = {
    Role.COMMISSION_STAFF: "staff", Role.PARTY_SECRETARY: "party", Role.DISCIPLINE_SECRETARY: "disc",
    Role.MEMBER: "member", Role.CLERK: "clerk",
}
TITLES = {
    "county": {Role.PARTY_SECRETARY: "县委书记", Role.COMMISSION_STAFF: "纪委监委干部"},
    "department": {Role.PARTY_SECRETARY: "党组书记", Role.DISCIPLINE_SECRETARY: "纪检组长",
                   Role.MEMBER: "班子成员", Role.CLERK: "联络员"},
    "town": {Role.PARTY_SECRETARY: "镇党委书记", Role.DISCIPLINE_SECRETARY: "镇纪委书记",
             Role.MEMBER: "班子成员", Role.CLERK: "联络员"},
    "village": {Role.PARTY_SECRETARY: "村党组织书记", Role.DISCIPLINE_SECRETARY: "村纪检委员",
                Role.MEMBER: "村两委成员", Role.CLERK: "村联络员"},
}
# roles (with counts) held at each kind of org
STAFFING = {
    "department": [(Role.PARTY_SECRETARY, 1), (Role.DISCIPLINE_SECRETARY, 1), (Role.MEMBER, 1), (Role.CLERK, 1)],
    "town": [(Role.PARTY_SECRETARY, 1), (Role.DISCIPLINE_SECRETARY, 1), (Role.MEMBER, 3), (Role.CLERK, 1)],
    "village": [(Role.PARTY_SECRETARY, 1), (Role.DISCIPLINE_SECRETARY, 1), (Role.MEMBER, 2), (Role.CLERK, 1)],
}


def people_for(prefix: str, org_name: str, kind: str) -> list[tuple[str, str, str, str]]:
    rows = []
    for role, count in STAFFING[kind]:
        for i in range(1, count + 1):
            suffix = ROLE_SHORT[role] + (str(i) if count > 1 else "")
            rows.append((f"{prefix}_{suffix}", f"{org_name}{TITLES[kind][role]}{i if count > 1 else ''}", role, TITLES[kind][role]))
    return rows


def county_spec(code: str, name: str, towns: int, villages: int, departments: int, staff: int) -> OrgSpec:
    p = code.lower()
    root = OrgSpec(code, name, "county")
    root.people.append((f"{p}_party", f"{name}县委书记", Role.PARTY_SECRETARY, "县委书记"))
    for i in range(1, staff + 1):
        root.people.append((f"{p}_staff{i}", f"纪委监委干部{i}", Role.COMMISSION_STAFF, "纪委监委干部"))
    for d in range(1, departments + 1):
        dname = DEPARTMENT_NAMES[d - 1] if d <= len(DEPARTMENT_NAMES) else f"县直单位{d}"
        dept = OrgSpec(f"{code}-D{d:02d}", dname, "department")
        dept.people = people_for(f"{p}d{d:02d}", dname, "department")
        root.children.append(dept)
    for t in range(1, towns + 1):
        tname = f"第{t}镇"
        town = OrgSpec(f"{code}-T{t:02d}", tname, "town", "镇")
        town.people = people_for(f"{p}t{t:02d}", tname, "town")
        for v in range(1, villages + 1):
            vname = f"{tname}{v}村"
            village = OrgSpec(f"{code}-T{t:02d}-V{v:02d}", vname, "village", "村")
            village.people = people_for(f"{p}t{t:02d}v{v:02d}", vname, "village")
            town.children.append(village)
        root.children.append(town)
    return root


class Command(BaseCommand):
    help = "Build the benchmark county (N towns × M villages, departments, ~5 accounts per org) with bulk inserts."

    def add_arguments(self, parser):
        parser.add_argument("--towns", type=int, default=20)
        parser.add_argument("--villages-per-town", type=int, default=20)
        parser.add_argument("--departments", type=int, default=10)
        parser.add_argument("--staff", type=int, default=5, help="纪委监委 staff accounts at the county root")
        parser.add_argument("--code", default="B", help="code of the county root (prefix of every code and username)")
        parser.add_argument("--name", default="基准县")
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args, towns, villages_per_town, departments, staff, code, name, password, **options):
        if settings.PRODUCTION:
            raise CommandError("generate_county is refused in production mode (its passwords are public).")
        if not (1 <= towns <= 999 and 0 <= villages_per_town <= 999 and 0 <= departments <= 99):
            raise CommandError("--towns 1..999, --villages-per-town 0..999, --departments 0..99")
        if not code.isalnum():
            raise CommandError("--code must be letters and digits only.")
        if OrgUnit.objects.filter(code=code).exists():
            self.stdout.write(f"a county with code {code} already exists: nothing written")
            return
        t = time.perf_counter()
        spec = county_spec(code, name, towns, villages_per_town, departments, staff)
        result = build(spec, password=password, start=date(timezone.localdate().year - 1, 1, 1))
        self.stdout.write(
            f"{name}: {result.orgs} orgs, {result.users} accounts, {result.memberships} memberships, "
            f"{result.grants} grants in {time.perf_counter() - t:.1f} s (password {password})"
        )
