"""Counties under a province root (tests/province.py): "the county of an org" is its nearest
county, county staff get the county-wide pages of their own county only, the province's staff
reach both counties, and the dashboard and the progress page answer at the root and at a county."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrgUnit, county_path
from accounts.roles import Role
from accounts.scope import reaches, requires_second_factor, scope_roots
from inspections.services import create_round, issuing_org, send_document
from notifications.services import county_staff_ids
from responsibilities.models import Checklist
from tests.province import build_province
from tests.responsibilities.conftest import make_list
from tests.tasks.conftest import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(db):
    return build_province()


def test_the_county_of_an_org_is_its_nearest_county(province, county):
    p = province
    for org, expected in [(p.root, p.root), (p.a, p.a), (p.a_town, p.a), (p.a_village, p.a), (p.b_village, p.b)]:
        assert org.county() == expected, org.code
    # where the root is the county, every org's county is the root, as before
    for org in (county.county, county.commission, county.town1, county.v21):
        assert org.county() == county.county
    assert county_path("00010002", {"0001": "province"}.get) == "0001"  # above every county: the root


def test_county_wide_is_a_county_or_above_and_tree_wide_the_root(province, county):
    p = province
    for user, county_wide, tree_wide in [(p.p_staff, True, True), (p.a_staff, True, False), (p.b_staff, True, False),
                                         (p.a_t_disc, False, False), (county.staff, True, True),
                                         (county.t1_disc, False, False)]:
        assert reaches(user, "manage", county_wide=True) == county_wide, user.username
        assert reaches(user, "manage", tree_wide=True) == tree_wide, user.username
        assert requires_second_factor(user) == county_wide, user.username
    assert issuing_org(p.a_staff) == p.a and issuing_org(p.p_staff) == p.root and issuing_org(county.staff) == county.county
    # notices about an org (a disabled robot, an escalation) go to the staff of its county
    assert county_staff_ids(org=p.a_village) == [p.a_staff.pk] and county_staff_ids(org=p.b) == [p.b_staff.pk]
    assert county_staff_ids(org=county.v11) == [county.staff.pk]


def _page(client, name, **query):
    url = reverse(name) + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.get(url)


def test_county_staff_get_the_county_wide_pages_of_their_county_only(province, login):
    p = province
    b_task = make_task(p.b_village, review_org=p.b)
    listed = make_list("town", "discipline", status=Checklist.Status.PUBLISHED, published_at=timezone.now())
    client = login(p.a_staff)
    assert [o.code for o in scope_roots(p.a_staff)] == ["A"]
    assert _page(client, "reports:dashboard").context["root"] == p.a
    for name in ("reports:dashboard", "tasks:progress"):
        assert _page(client, name, org="A").status_code == 200
        assert _page(client, name, org="B").status_code == 404, name
        assert _page(client, name, org="P").status_code == 404, name
    assert client.get(reverse("tasks:detail", args=[b_task.pk])).status_code == 404
    assert _page(client, "notifications:webhooks").status_code == 200  # county-wide: their county's robots
    # what holds for every county is set at the root
    for name in ("notifications:settings", "assessment:rules", "tokens:all"):
        assert _page(client, name).status_code == 403, name
    assert client.get(reverse("responsibilities:list_edit", args=[listed.pk])).status_code == 403
    doc = send_document(p.a_staff, kind="proposal", title="建议", body="", orgs=[p.a_town])
    b_doc = send_document(p.b_staff, kind="proposal", title="乙县建议", body="", orgs=[p.b_town])
    assert (doc.org, b_doc.org) == (p.a, p.b)
    assert client.get(reverse("inspections:document_detail", args=[doc.pk])).status_code == 200
    assert client.get(reverse("inspections:document_detail", args=[b_doc.pk])).status_code == 404
    assert list(_page(client, "inspections:documents").context["documents"]) == [doc]
    b_round = create_round(p.b_staff, name="乙县第一轮", year=2026, kind="regular", start_date=date(2026, 3, 1),
                           end_date=date(2026, 4, 1))
    assert b_round.org == p.b
    for name in ("inspections:round_detail", "inspections:inspection_create"):
        assert client.get(reverse(name, args=[b_round.pk])).status_code == 404, name
    assert b_round not in _page(client, "inspections:index").context["rounds"]

    client = login(p.p_staff)
    assert client.get(reverse("tasks:detail", args=[b_task.pk])).status_code == 200
    for name in ("reports:dashboard", "tasks:progress"):
        for code in ("P", "A", "B"):
            assert _page(client, name, org=code).status_code == 200, (name, code)
    for name in ("notifications:settings", "assessment:rules", "tokens:all"):
        assert _page(client, name).status_code == 200, name
    assert client.get(reverse("responsibilities:list_edit", args=[listed.pk])).status_code == 200
    assert client.get(reverse("inspections:round_detail", args=[b_round.pk])).status_code == 200
    assert client.get(reverse("inspections:document_detail", args=[b_doc.pk])).status_code == 200


def test_dashboard_and_progress_at_the_root_and_at_a_county(province, login, django_assert_max_num_queries):
    p = province
    today = timezone.localdate()
    make_task(p.a_village, review_org=p.a_town, due=today - timedelta(days=3))  # red
    make_task(p.a_town, review_org=p.a, due=today + timedelta(days=2))  # yellow
    make_task(p.a, review_org=p.a, due=today + timedelta(days=30))  # the county's own: blue
    make_task(p.b_village, review_org=p.b_town, due=today - timedelta(days=1))  # red
    client = login(p.p_staff)
    with django_assert_max_num_queries(15):
        root = client.get(reverse("reports:dashboard") + "?org=P").context
    rows = {r.org.code: r.counts for r in root["rows"]}
    assert set(rows) == {"A", "B"} and (rows["A"]["due"], rows["B"]["due"]) == (1, 1)
    assert root["own"].counts["due"] == 0
    assert (root["total"].counts["colour_red"], root["total"].counts["colour_yellow"], root["total"].counts["colour_blue"]) == (2, 1, 1)
    rows = {r["org"]["code"]: r["counts"] for r in client.get("/api/v1/dashboard/", {"org": "P"}).json()["rows"]}
    assert (rows["A"]["due"], rows["A"]["colour_red"], rows["A"]["colour_yellow"]) == (1, 1, 1)
    assert (rows["B"]["due"], rows["B"]["colour_red"], rows["B"]["colour_yellow"]) == (1, 1, 0)

    client = login(p.a_staff)
    with django_assert_max_num_queries(15):
        at_a = client.get(reverse("reports:dashboard")).context
    assert at_a["root"] == p.a and [r.org.code for r in at_a["rows"]] == ["A-T"]
    assert at_a["rows"][0].counts["due"] == 1
    assert (at_a["total"].counts["colour_red"], at_a["total"].counts["colour_yellow"]) == (1, 1)
    assert at_a["own"].counts["due"] == 0 and at_a["total"].counts["colour_blue"] == 1  # the county's own task
    with django_assert_max_num_queries(15):
        progress = client.get(reverse("tasks:progress")).context
    totals = {r["org"].code: r["counts"]["total"] for r in progress["by_org"]}
    assert progress["root"] == p.a and totals == {"A": 1, "A-T": 2}

    client = login(p.p_staff)
    progress = client.get(reverse("tasks:progress") + "?org=P").context
    assert {r["org"].code: r["counts"]["total"] for r in progress["by_org"]} == {"A": 3, "B": 1}


def test_round_names_are_unique_within_a_commission_not_across_the_province(province, login):
    """Two counties both run "2026年第一轮巡察"; one county cannot run it twice (a message in
    Chinese on the form, nothing written); the province's staff see whose round each is."""
    from inspections.models import Round

    p = province
    name, dates = "2026年第一轮巡察", {"year": 2026, "kind": "regular", "start_date": date(2026, 3, 1), "end_date": date(2026, 4, 1)}
    a_round = create_round(p.a_staff, name=name, **dates)
    b_round = create_round(p.b_staff, name=name, **dates)
    assert (a_round.org, b_round.org) == (p.a, p.b)

    client = login(p.a_staff)
    response = client.post(reverse("inspections:round_create"), {"name": name, "year": 2026, "kind": "regular",
                                                                 "start_date": "2026-05-01", "end_date": "2026-06-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["已有同名的巡察轮次。"]
    assert Round.objects.filter(name=name).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds the rule too
        Round.objects.create(name=name, org=p.a, **dates)

    page = login(p.p_staff).get(reverse("inspections:index")).content.decode()
    assert page.count(name) == 2 and "甲县 · " in page and "乙县 · " in page
    single = login(p.a_staff).get(reverse("inspections:index")).content.decode()
    assert single.count(name) == 1 and "甲县 · " not in single


def test_a_countys_delivery_log_holds_its_rows_and_its_counts_only(province, login):
    """A county's staff see the reminders of their county's tasks, the notices to themselves and
    their robots' messages, and the state counts of those rows; not the other county's. The
    province's staff see every row."""
    from notifications.models import Outbox, Webhook

    p = province
    rows = {}
    for side, staff, town in (("a", p.a_staff, p.a_town), ("b", p.b_staff, p.b_town)):
        task, robot = make_task(town, review_org=town.get_parent()), Webhook.objects.create(
            org=town, kind="wecom", url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={side}")
        common = {"business_date": date(2026, 3, 2), "due_at": "2026-03-02T01:00:00Z", "state": "failed"}
        rows[side] = [
            Outbox.objects.create(key=f"{side}-task", kind="due_today", channel="inapp", task=task, recipient=staff,
                                  last_error=f"{side}-task-error", **common),
            Outbox.objects.create(key=f"{side}-notice", kind="system", channel="inapp", recipient=staff,
                                  last_error=f"{side}-notice-error", **common),
            Outbox.objects.create(key=f"{side}-robot", kind="system", channel="wecom", webhook=robot,
                                  last_error=f"{side}-robot-error", **common),
        ]
    page = login(p.a_staff).get(reverse("notifications:log")).content.decode()
    for what in ("task", "notice", "robot"):
        assert f"a-{what}-error" in page and f"b-{what}-error" not in page, what
    assert "失败: 3</span>" in page
    assert login(p.a_staff).post(reverse("notifications:retry", args=[rows["b"][1].pk])).status_code == 404

    page = login(p.p_staff).get(reverse("notifications:log")).content.decode()
    assert all(f"{side}-{what}-error" in page for side in "ab" for what in ("task", "notice", "robot"))
    assert "失败: 6</span>" in page


def test_a_province_issues_its_counties_letters_and_sees_the_cascade(province, login, django_assert_max_num_queries):
    """The 市 / province signs a 目标责任书 with each county: the county's text, a task for the
    county reviewed by the root, and the cascade counted by county at the root and the county's
    own letter on the county's page."""
    from letters.models import ResponsibilityLetter
    from letters.services import issue, receivers

    p = province
    assert list(receivers(p.root)) == [p.a, p.b]
    assert issue(p.p_staff, p.root, 2026) == 2
    letter = ResponsibilityLetter.objects.get(org=p.a, year=2026)
    assert "中共基准市委员会与甲县签订" in letter.body and "中共甲县委员会对本县全面从严治党负主体责任" in letter.body
    assert "每年向中共基准市委员会书面报告" in letter.body
    assert (letter.task.org, letter.task.review_org, letter.task.kind) == (p.a, p.root, "letter")

    client = login(p.p_staff)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("letters:status"), {"org": "P", "year": 2026})
    levels = {lv.level: lv for lv in page.context["levels"]}
    assert list(levels) == ["county", "town", "department", "village"]
    assert (levels["county"].receivers, levels["county"].by_key) == (2, {"pending": 2})
    assert "县（市、区）" in page.content.decode()
    rows = {r.org.code: r for r in page.context["rows"]}
    assert rows["A"].letter_id == letter.pk and (rows["A"].below.level, rows["A"].below.receivers) == ("town", 1)
    assert page.context["own"] is None  # the root receives no letter

    page = login(p.a_staff).get(reverse("letters:status"), {"org": "A", "year": 2026})
    assert page.context["own"].letter_id == letter.pk
    assert [r.org.code for r in page.context["rows"]] == ["A-T"]


def test_a_roots_staff_see_nothing_of_another_root(county, login):
    """Two roots in one installation: the first county's staff see the rounds, documents and
    notices of their own tree only, though they manage a root."""
    from accounts.bulk import OrgSpec, build
    from accounts.models import User
    from inspections.models import Document, Round
    from notifications.models import Outbox

    build(OrgSpec("Q", "另一县", "county", people=[("q_staff", "x", Role.COMMISSION_STAFF, "")]),
          password="Xx1!xxxxxx", start=date(2020, 1, 1))
    other = User.objects.get(username="q_staff")
    dates = {"year": 2026, "kind": "regular", "start_date": date(2026, 3, 1), "end_date": date(2026, 4, 1)}
    mine, theirs = create_round(county.staff, name="本县一轮", **dates), create_round(other, name="另一县一轮", **dates)
    send_document(other, kind="proposal", title="另一县建议", body="", orgs=[OrgUnit.objects.get(code="Q")])
    Outbox.objects.create(key="q-notice", kind="system", channel="inapp", recipient=other, business_date=date(2026, 3, 2),
                          due_at="2026-03-02T01:00:00Z", state="failed", last_error="q-notice-error")

    client = login(county.staff)
    rounds = list(_page(client, "inspections:index").context["rounds"])
    assert mine in rounds and theirs not in rounds
    assert client.get(reverse("inspections:round_detail", args=[theirs.pk])).status_code == 404
    assert not _page(client, "inspections:documents").context["documents"].filter(title="另一县建议").exists()
    assert Document.objects.filter(title="另一县建议").exists()
    assert "q-notice-error" not in _page(client, "notifications:log").content.decode()
