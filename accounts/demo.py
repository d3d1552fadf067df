"""The demo county of `make run`: 示范县 with its 纪委监委, 12 county departments,
12 towns (镇/乡/街道) and 118 villages/communities, and people for every role at
every level (about 700 accounts, all with DEMO_PASSWORD).

Idempotent: orgs are found by code and users by username. On an empty database the
whole county is written with bulk inserts (accounts.bulk); on a database seeded
before, only what is missing is added, through the ordinary services (grants and
audit follow). Other apps add their own demo data through ``<app>.demo.seed(stdout)``,
called by ``manage.py seed_demo`` after this one.

Usernames follow the org codes: ``jw_staff`` (纪委监委), ``county_party``;
``d01_party``… for departments; ``t01_party``, ``t01_disc``, ``t01_member1``,
``t01_clerk`` for towns; ``v0101_party``, ``v0101_disc``, ``v0101_member``,
``v0101_clerk`` for village 01 of town 01.
"""

from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .bulk import OrgSpec, build
from .models import Membership, OrgUnit, User
from .roles import AdminRole, Role
from .services import add_membership

DEMO_PASSWORD = "Qingdan@2026"

# (code, name, subkind)
TOWNS = [
    ("T01", "城关镇", "镇"), ("T02", "河口镇", "镇"), ("T03", "石桥乡", "乡"), ("T04", "龙泉镇", "镇"),
    ("T05", "青山镇", "镇"), ("T06", "柳林乡", "乡"), ("T07", "白马镇", "镇"), ("T08", "清水镇", "镇"),
    ("T09", "新庄乡", "乡"), ("T10", "桃源镇", "镇"), ("T11", "东城街道", "街道"), ("T12", "西城街道", "街道"),
]
VILLAGE_COUNTS = [12, 11, 9, 10, 10, 9, 10, 10, 9, 10, 9, 9]  # 118 in all
_PREFIX = "东西南北上下前后大小新老王李张刘陈杨赵黄周吴马高林何郭罗宋谢唐韩冯邓曹彭"
_SUFFIX = ["庄", "家湾", "坪", "岭", "沟", "河", "桥", "店", "营", "屯", "峪", "园", "关", "寨"]
_COMMUNITY = ["府前", "文昌", "人民路", "解放路", "建设路", "滨河", "花园", "长安", "育才", "丰收", "和平", "振兴"]

DEPARTMENTS = [
    ("D-JW", "县纪委监委"), ("D-XWB", "县委办"), ("D-ZZB", "县委组织部"), ("D-XCB", "县委宣传部"),
    ("D-TZB", "县委统战部"), ("D-ZFW", "县委政法委"), ("D-ZFB", "县政府办"), ("D-FGJ", "县发展改革局"),
    ("D-CZJ", "县财政局"), ("D-JYJ", "县教育局"), ("D-NYJ", "县农业农村局"), ("D-WJW", "县卫健委"),
]

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅志强海燕玉兰春生德华文斌晓东丽萍建军金凤"


def _name(i: int) -> str:
    return _SURNAMES[(i * 7) % len(_SURNAMES)] + _GIVEN[(i * 3) % len(_GIVEN)] + _GIVEN[(i * 5 + 1) % len(_GIVEN)]


def villages_of(t_index: int, code: str, subkind: str) -> list[tuple[str, str, str]]:
    out, used = [], set()
    for v in range(VILLAGE_COUNTS[t_index]):
        if subkind == "街道":
            name, sub = f"{_COMMUNITY[(v + t_index) % len(_COMMUNITY)]}社区", "社区"
        else:
            k = t_index * 13 + v * 5
            name, sub = f"{_PREFIX[k % len(_PREFIX)]}{_SUFFIX[(k // len(_PREFIX) + v) % len(_SUFFIX)]}村", "村"
        while name in used:
            name = name[:-1] + "二" + name[-1]
        used.add(name)
        out.append((f"{code}-V{v + 1:02d}", name, sub))
    return out


def county_spec() -> OrgSpec:
    """The whole demo county with its people, as an OrgSpec tree."""
    counter = iter(range(1, 100000))

    def person(username, role, title):
        return (username, _name(next(counter)), role, title)

    root = OrgSpec("C", settings.COUNTY_NAME, "county", people=[
        person("county_party", Role.PARTY_SECRETARY, "县委书记"),
        ("jw_staff", "王纪检", Role.COMMISSION_STAFF, "县纪委监委党风政风监督室"),
        person("jw_staff2", Role.COMMISSION_STAFF, "县纪委监委第一监督检查室"),
        person("jw_staff3", Role.COMMISSION_STAFF, "县委巡察办"),
    ])
    for d, (code, name) in enumerate(DEPARTMENTS, start=1):
        dept = OrgSpec(code, name, "department")
        p = f"d{d:02d}"
        dept.people = [person(f"{p}_party", Role.PARTY_SECRETARY, "党组书记"),
                       person(f"{p}_disc", Role.DISCIPLINE_SECRETARY, "派驻纪检组长"),
                       person(f"{p}_member", Role.MEMBER, "班子成员"),
                       person(f"{p}_clerk", Role.CLERK, "联络员")]
        root.children.append(dept)
    for t, (code, name, subkind) in enumerate(TOWNS):
        town = OrgSpec(code, name, "town", subkind)
        p = code.lower()
        lead = "街道党工委书记" if subkind == "街道" else f"{subkind}党委书记"
        town.people = [person(f"{p}_party", Role.PARTY_SECRETARY, lead),
                       person(f"{p}_disc", Role.DISCIPLINE_SECRETARY, "纪（工）委书记"),
                       person(f"{p}_member1", Role.MEMBER, "班子成员"),
                       person(f"{p}_member2", Role.MEMBER, "班子成员"),
                       person(f"{p}_clerk", Role.CLERK, "党政办联络员")]
        for vcode, vname, vsub in villages_of(t, code, subkind):
            vp = "v" + vcode[1:3] + vcode[-2:]  # T01-V02 → v0102
            town.children.append(OrgSpec(vcode, vname, "village", vsub, people=[
                person(f"{vp}_party", Role.PARTY_SECRETARY, f"{vsub}党组织书记"),
                person(f"{vp}_disc", Role.DISCIPLINE_SECRETARY, f"{vsub}纪检委员"),
                person(f"{vp}_member", Role.MEMBER, f"{vsub}两委成员"),
                person(f"{vp}_clerk", Role.CLERK, "联络员"),
            ]))
        root.children.append(town)
    return root


def _walk(spec, parent=None):
    yield spec, parent
    for child in spec.children:
        yield from _walk(child, spec)


def _add_missing(spec: OrgSpec, start: date) -> int:
    """Bring a county seeded earlier up to the spec, through the ordinary services."""
    from django.contrib.auth.hashers import make_password

    added = 0
    orgs = {o.code: o for o in OrgUnit.objects.all()}
    hashed = make_password(DEMO_PASSWORD)
    for node, parent in _walk(spec):
        if node.code not in orgs:
            p = OrgUnit.objects.get(pk=orgs[parent.code].pk)
            orgs[node.code] = p.add_child(code=node.code, name=node.name, kind=node.kind, subkind=node.subkind)
            added += 1
        org = orgs[node.code]
        for username, full_name, role, title in node.people:
            user = User.objects.filter(username__iexact=username).first()
            if user is None:
                user = User.objects.create(username=username, full_name=full_name, password=hashed,
                                           must_change_password=False, password_changed_at=timezone.now())
            if not Membership.objects.filter(user=user, org=org, role=role).exists():
                add_membership(user, org, role, title=title, start_date=start)
                added += 1
    return added


@transaction.atomic
def seed(stdout=None) -> list[tuple[str, str, str, str]]:
    """Build the county and its people; return a short table (one account per role per level)."""
    start = date(timezone.localdate().year - 1, 1, 1)
    spec = county_spec()
    if not OrgUnit.objects.filter(code="C").exists():
        result = build(spec, password=DEMO_PASSWORD, start=start)
        if stdout is not None:
            stdout.write(f"accounts: {result.orgs} orgs, {result.users} accounts, {result.memberships} memberships.")
    else:
        added = _add_missing(spec, start)
        if stdout is not None:
            stdout.write(f"accounts: demo county already there ({added} orgs or memberships added).")
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User(username="admin", full_name="紧急管理账号", is_superuser=True, must_change_password=False)
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    for username, full_name, role in ADMINISTRATORS:
        if not User.objects.filter(username__iexact=username).exists():
            user = User(username=username, full_name=full_name, admin_role=role, must_change_password=False)
            user.set_password(DEMO_PASSWORD)
            user.save()
    enrolled = enrol_demo_second_factors()
    if stdout is not None and enrolled:
        stdout.write(f"accounts: {enrolled} accounts given an authenticator (county staff, administrators).")
    return demo_table()


def enrol_demo_second_factors() -> int:
    """Give every demo account that must sign in with a second factor a confirmed authenticator, so
    the demo works without a phone: manage.py demo_totp <username> prints the current code."""
    from . import twofactor
    from .scope import requires_second_factor

    people = User.objects.filter(is_active=True).exclude(totpdevice__confirmed=True)
    done = 0
    for user in people:
        if requires_second_factor(user):
            twofactor.enrol_directly(user)
            done += 1
    return done


DEMO_TOTP_HINT = ("county staff and the administrators sign in with a second factor; for the demo, "
                  "`.venv/bin/python manage.py demo_totp <username>` prints the code a phone would show")


# 三员: one account per administrator role (accounts.roles.AdminRole)
ADMINISTRATORS = [
    ("sys_admin", "系统管理员", AdminRole.SYSTEM),
    ("sec_admin", "安全管理员", AdminRole.SECURITY),
    ("audit_admin", "审计管理员", AdminRole.AUDIT),
]


SAMPLE_ORGS = ["C", "D-XWB", "T01", "T01-V01"]


def demo_table() -> list[tuple[str, str, str, str]]:
    """(username, name, org, role) — one account per role per level, plus admin."""
    rows, seen = [], set()
    order = [r.value for r in Role]
    ms = sorted(Membership.objects.current().filter(org__code__in=SAMPLE_ORGS).select_related("user", "org"),
                key=lambda m: (m.org.path, order.index(m.role), m.user.username))
    for m in ms:
        key = (m.org.kind, m.role)
        if key in seen:
            continue
        seen.add(key)
        rows.append((m.user.username, m.user.full_name, m.org.name, str(Role(m.role).label)))
    for username, full_name, role in ADMINISTRATORS:
        rows.append((username, full_name, "—", str(AdminRole(role).label)))
    rows.append(("admin", "紧急管理账号", "—", "superuser, break-glass (/admin/)"))
    return rows


NAMING = (
    "others: d01…d12_{party,disc,member,clerk} (departments), t01…t12_{party,disc,member1,member2,clerk} "
    "(towns), v0101…v1212_{party,disc,member,clerk} (village NN of town TT = vTTNN), jw_staff2/3"
)


def demo_people():
    """The demo's ordinary people (current members, active, no administrator), by user name: whom
    ``make run``'s local fakes (work apps, SMS) reach."""
    return (User.objects.filter(pk__in=Membership.objects.current(timezone.localdate()).values("user_id"),
                                is_active=True, admin_role="", is_superuser=False)
            .order_by("username"))


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def require_local_fake(url: str, what: str) -> None:
    """Refuse demo data for a service that is not one of ``make run``'s local fakes (``url`` not on
    loopback): made-up numbers and bindings must never reach a real gateway or corp."""
    from django.core.management.base import CommandError

    if urlsplit(url).hostname not in LOOPBACK:
        raise CommandError(f"{url!r} is not a local fake: demo {what} are for make run only.")
