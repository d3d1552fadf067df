"""The home page shows the user's orgs, roles and scope, and sends each role to its work."""

import pytest
from django.urls import reverse

from accounts.homepage import WORK_LINKS

pytestmark = pytest.mark.django_db


def page(login, user):
    r = login(user).get(reverse("home"))
    assert r.status_code == 200
    return r


def test_shows_orgs_roles_and_scope(county, login):
    r = page(login, county.t1_disc)
    html = r.content.decode()
    assert "城关镇" in html and "纪委书记" in html
    assert [o.code for o in r.context["scope_roots"]] == ["T1"]
    assert r.context["scope_count"] == 3
    assert dict(r.context["scope_summary"]) == {"乡镇": 1, "村（社区）": 2}
    assert "河口镇" not in html and "南村" not in html, "nothing outside the scope is named"


def test_village_officer_sees_only_the_village(county, login):
    r = page(login, county.v11_clerk)
    assert r.context["scope_count"] == 1 and "东村" in r.content.decode()


def test_staff_scope_is_the_county(county, login):
    r = page(login, county.staff)
    assert r.context["scope_count"] == 8 and [o.code for o in r.context["scope_roots"]] == ["C"]


def test_no_role(county, login):
    r = page(login, county.nobody)
    assert r.context["scope_count"] == 0 and r.context["memberships"] == []
    assert "当前没有角色。" in r.content.decode()
    assert all(link["url"] == reverse("notifications:inbox") for link in r.context["work_links"])


def urls(r):
    return {link["url"] for link in r.context["work_links"]}


def test_each_role_is_sent_to_its_work(county, login):
    routed = {link.url_name: reverse(link.url_name) for link in WORK_LINKS}
    clerk, disc, staff = (urls(page(login, u)) for u in (county.v11_clerk, county.t1_disc, county.staff))
    assert routed["tasks:mine"] in clerk and routed["tasks:mine"] in disc
    assert routed["tasks:mine"] not in staff, "commission staff record no work"
    assert routed["tasks:review_queue"] in disc and routed["tasks:review_queue"] in staff
    assert routed["tasks:review_queue"] not in clerk
    assert routed["responsibilities:index"] in staff and routed["responsibilities:index"] not in clerk
    assert routed["notifications:inbox"] in clerk
    assert (clerk | disc | staff) <= set(routed.values())


def test_home_in_few_queries(county, login, django_assert_max_num_queries):
    client = login(county.t1_disc)
    with django_assert_max_num_queries(15):
        client.get(reverse("home"))
