"""The benchmark tree: a county's orgs and people as an ``accounts.bulk.OrgSpec`` —
``manage.py generate_county`` builds one as a root, ``manage.py generate_province`` builds
many under a province root."""

from .bulk import OrgSpec
from .models.orgs import OrgKind
from .roles import Role

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


def province_spec(code: str, name: str, counties: int, towns: int, villages: int, departments: int, staff: int) -> OrgSpec:
    """A province root (its commission's staff at the root) over ``counties`` benchmark
    counties: codes ``P01``, ``P01-T01-V01`` …, usernames ``p01_staff1``, ``p01t01v01_clerk`` …"""
    p = code.lower()
    root = OrgSpec(code, name, OrgKind.PROVINCE, "省")
    root.people.append((f"{p}_party", f"{name}委书记", Role.PARTY_SECRETARY, "省委书记"))
    for i in range(1, staff + 1):
        root.people.append((f"{p}_staff{i}", f"省纪委监委干部{i}", Role.COMMISSION_STAFF, "纪委监委干部"))
    for c in range(1, counties + 1):
        root.children.append(county_spec(f"{code}{c:02d}", f"第{c}县", towns, villages, departments, staff))
    return root
