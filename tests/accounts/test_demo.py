"""The demo county (seed) and the benchmark county (generate_county)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import demo, twofactor
from accounts.models import Membership, OrgUnit, User
from accounts.roles import Role
from accounts.scope import requires_second_factor, visible_to

pytestmark = pytest.mark.django_db


def snapshot():
    return (OrgUnit.objects.count(), User.objects.count(), Membership.objects.count(),
            sorted(OrgUnit.objects.values_list("code", "path")))


def test_demo_county_is_believable_and_idempotent(client):
    demo.seed()
    kinds = {k: OrgUnit.objects.filter(kind=k).count() for k in ("county", "town", "village", "department")}
    assert kinds["county"] == 1 and kinds["town"] >= 10 and kinds["village"] >= 100 and kinds["department"] >= 10
    assert OrgUnit.objects.filter(kind="department", name="县纪委监委").exists()
    assert OrgUnit.find_problems() == ([], [], [], [], [])
    assert OrgUnit.objects.get(code="T01-V01").get_parent().code == "T01"
    # every role at every level (commission staff sit at the county root)
    held = set(Membership.objects.values_list("org__kind", "role"))
    for kind in ("department", "town", "village"):
        for role in (Role.PARTY_SECRETARY, Role.DISCIPLINE_SECRETARY, Role.MEMBER, Role.CLERK):
            assert (kind, role) in held, (kind, role)
    assert ("county", Role.COMMISSION_STAFF) in held and ("county", Role.PARTY_SECRETARY) in held
    # every village and town has its discipline secretary (reviewer / 纪检委员)
    assert not OrgUnit.objects.filter(kind__in=["town", "village"]).exclude(memberships__role=Role.DISCIPLINE_SECRETARY).exists()
    before = snapshot()
    demo.seed()
    assert snapshot() == before, "a second run changes nothing"


def test_demo_table_is_short_and_accounts_sign_in(client):
    rows = demo.seed()
    assert 10 <= len(rows) <= 20
    assert {r[3] for r in rows} >= {str(r.label) for r in Role}
    for username in ("jw_staff", "t01_disc", "v0101_clerk", "d02_party", "sec_admin"):
        r = client.post("/accounts/login/", {"username": username, "password": demo.DEMO_PASSWORD})
        assert r.status_code == 302 and r["Location"] == "/", username
        if requires_second_factor(User.objects.get(username=username)):  # enrolled by the demo: no phone needed
            assert client.get("/")["Location"] == reverse("accounts:otp_verify"), username
            out = StringIO()
            call_command("demo_totp", username, stdout=out)
            assert client.post(reverse("accounts:otp_verify"), {"code": out.getvalue().strip()}).status_code == 302
        assert client.get("/").status_code == 200
        client.post("/accounts/logout/")
    required = [u for u in User.objects.filter(is_active=True) if requires_second_factor(u)]
    assert {"jw_staff", "sys_admin", "sec_admin", "audit_admin", "admin"} <= {u.username for u in required}
    assert all(twofactor.enrolled(u) for u in required)
    v = User.objects.get(username="v0101_clerk")
    assert set(visible_to(v).values_list("code", flat=True)) == {"T01-V01"}
    assert visible_to(User.objects.get(username="jw_staff"), "manage").count() == OrgUnit.objects.count()


def test_demo_upgrades_an_older_smaller_county():
    county = OrgUnit.add_root(code="C", name="示范县", kind="county")
    town = county.add_child(code="T01", name="城关镇", kind="town", subkind="镇")
    town.add_child(code="T01-V01", name="东关村", kind="village", subkind="村")
    demo.seed()
    assert OrgUnit.objects.filter(kind="village").count() >= 100
    assert OrgUnit.objects.get(code="T01-V01").name == "东关村", "existing orgs are kept"
    assert OrgUnit.find_problems() == ([], [], [], [], [])
    assert set(visible_to(User.objects.get(username="t02_disc")).values_list("code", flat=True)) >= {"T02", "T02-V01"}


def test_generate_county_small(capsys):
    call_command("generate_county", towns=3, villages_per_town=4, departments=2, staff=2)
    out = capsys.readouterr().out
    assert "基准县" in out
    assert OrgUnit.objects.filter(kind="town").count() == 3
    assert OrgUnit.objects.filter(kind="village").count() == 12
    assert OrgUnit.objects.filter(kind="department").count() == 2
    assert OrgUnit.find_problems() == ([], [], [], [], [])
    # 2 staff + county party + 2 depts × 4 + 3 towns × 6 + 12 villages × 5
    assert User.objects.count() == 2 + 1 + 8 + 18 + 60
    town_disc = User.objects.get(username="bt02_disc")
    assert set(visible_to(town_disc).values_list("code", flat=True)) == {"B-T02"} | {f"B-T02-V{v:02d}" for v in range(1, 5)}
    assert set(visible_to(town_disc, "review").values_list("code", flat=True)) == {"B-T02"}
    assert User.objects.get(username="bt01v03_clerk").check_password(demo.DEMO_PASSWORD)
    before = snapshot()
    call_command("generate_county", towns=3, villages_per_town=4)
    assert snapshot() == before and "nothing written" in capsys.readouterr().out


def test_generate_county_next_to_the_demo_county():
    demo.seed()
    call_command("generate_county", towns=2, villages_per_town=2, departments=1)
    assert OrgUnit.find_problems() == ([], [], [], [], [])
    staff = User.objects.get(username="b_staff1")
    assert not visible_to(staff).filter(code="C").exists()
    assert not visible_to(User.objects.get(username="jw_staff")).filter(code__startswith="B").exists()
