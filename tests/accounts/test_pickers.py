"""The searchable pickers (accounts/pickers.py, accounts:pick): what may be chosen where, by
name, unit or post, within the chooser's reach — the search offers it and the server accepts
only that. Units are shown with their parent; people with their unit and post."""

import json

import pytest
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from tests.county import make_user

pytestmark = pytest.mark.django_db


def pick(client, kind, **params):
    r = client.get(reverse("accounts:pick", kwargs={"kind": kind}), params)
    return r.status_code, (json.loads(r.content)["results"] if r.status_code == 200 else None)


@pytest.fixture
def twins(county):
    """Two villages named 振兴社区, one in each town, and a person of each."""
    county.town1.refresh_from_db()
    a = county.town1.add_child(name="振兴社区", code="T1-V9", kind="village")
    county.town2.refresh_from_db()
    b = county.town2.add_child(name="振兴社区", code="T2-V9", kind="village")
    for org, name in ((a, "王伟"), (b, "王伟")):
        u = make_user(f"p_{org.code}", name)
        Membership.objects.create(user=u, org=org, role=Role.CLERK, title="社区纪检委员")
    return a, b


def test_units_by_name_with_their_parent(county, client, twins):
    client.force_login(county.staff)
    status, rows = pick(client, "org", q="振兴")
    assert status == 200 and [r["text"] for r in rows] == ["振兴社区 · 城关镇", "振兴社区 · 河口镇"]
    assert [r["value"] for r in rows] == ["T1-V9", "T2-V9"]  # the task list's filter submits the code
    _s, rows = pick(client, "org", q="城关")
    assert [r["text"] for r in rows] == ["城关镇 · 示范县"]


def test_the_search_stays_in_the_readers_reach(county, client, twins):
    """Scope trio: the town sees its own 振兴社区 only; a village only itself; no role → 403."""
    client.force_login(county.t1_party)
    _s, rows = pick(client, "org", q="振兴")
    assert [r["value"] for r in rows] == ["T1-V9"]
    assert pick(client, "org", q="河口")[1] == []
    client.force_login(county.v11_disc)
    assert [r["value"] for r in pick(client, "org")[1]] == ["T1-V1"]
    client.force_login(county.nobody)
    assert pick(client, "org", q="镇")[0] == 403


def test_manager_pickers_are_refused_to_readers(county, client):
    client.force_login(county.t1_party)  # views and works, manages nothing
    for kind in ("managed_person", "managed_org", "inspected_org", "accountable_person"):
        assert pick(client, kind)[0] == 403
    client.force_login(county.staff)
    assert pick(client, "nonesuch")[0] == 404


def test_people_by_name_unit_or_post(county, client, twins):
    client.force_login(county.staff)
    _s, rows = pick(client, "managed_person", q="王伟")
    assert sorted(r["text"] for r in rows) == ["王伟 · 振兴社区 · 社区纪检委员"] * 2  # same name: the unit tells them apart
    _s, by_unit = pick(client, "managed_person", q="东村")
    assert {r["value"] for r in by_unit} == {str(county.users[u].pk) for u in ("v11_disc", "v11_party", "v11_clerk")}
    _s, by_post = pick(client, "managed_person", q="社区纪检")
    assert len(by_post) == 2


def test_the_person_held_accountable_belongs_to_the_unit(county, client, twins):
    a, _b = twins
    client.force_login(county.staff)
    _s, rows = pick(client, "accountable_person", org=county.v11.pk)
    assert {r["value"] for r in rows} == {str(county.users[u].pk) for u in ("v11_disc", "v11_party", "v11_clerk")}
    _s, rows = pick(client, "accountable_person", org=a.code)
    assert [r["text"] for r in rows] == ["王伟 · 振兴社区 · 社区纪检委员"]
    assert pick(client, "accountable_person")[1] == []  # no unit chosen yet: nobody
    assert pick(client, "accountable_person", org="NOPE")[0] == 404


def test_a_person_of_another_unit_is_refused_for_a_village(county, client):
    """The form and the service both refuse 南村's secretary as the person of 东村's record."""
    from django.core.exceptions import ValidationError

    from assessment import registers
    from assessment.models import Accountability

    client.force_login(county.staff)
    post = {"org": county.v11.pk, "target": "person", "person": county.users["v21_disc"].pk, "measure": "person_admonish",
            "duty": "main", "reason": "履行主体责任不力", "decided_on": "2026-11-20", "decided_by": "县纪委常委会"}
    r = client.post(reverse("assessment:accountability_create"), post)
    assert r.status_code == 400 and Accountability.objects.count() == 0
    with pytest.raises(ValidationError) as e:
        registers.add_accountability(county.staff, org=county.v11, target="person", measure="person_admonish",
                                     reason="x", decided_on="2026-11-20", decided_by="县纪委", person=county.users["v21_disc"],
                                     duty="main")
    assert "person" in e.value.message_dict and Accountability.objects.count() == 0
    r = client.post(reverse("assessment:accountability_create"), {**post, "person": county.users["v11_party"].pk})
    assert r.status_code == 302 and Accountability.objects.get().person == county.users["v11_party"]


def test_forms_render_pickers_not_lists(county, client):
    """No select lists every person or unit; no Ctrl-click multi-select; the chosen value is
    shown by name."""
    client.force_login(county.staff)
    html = client.get(reverse("assessment:accountability_create")).content.decode()
    assert 'data-picker="/accounts/pick/managed_org/"' in html and 'data-picker-depends="id_org"' in html
    assert "tom-select.complete.min.js" in html and "js/pickers.js" in html
    assert html.count("<option") < 40  # the other selects' few choices, not the county's people
    html = client.get(reverse("tasks:list"), {"org": "T1"}).content.decode()
    assert '<option value="T1" selected>城关镇 · 示范县</option>' in html


def test_task_list_by_name_and_no_name_leaks(county, client):
    from tests.reports.conftest import populate

    populate(county)
    client.force_login(county.staff)
    by_code = client.get(reverse("tasks:list"), {"org": "T1"}).content.decode()
    by_name = client.get(reverse("tasks:list"), {"org": "城关镇"}).content.decode()
    n = by_code.split('id="result-count" data-count="')[1].split('"')[0]
    assert int(n) > 0 and f'data-count="{n}"' in by_name
    client.force_login(county.t2_disc)
    html = client.get(reverse("tasks:list"), {"org": "T1"}).content.decode()
    assert 'data-count="0"' in html and "城关镇" not in html


@pytest.mark.parametrize("kind,params", [("org", {"q": "村"}), ("managed_person", {"q": "t"}),
                                         ("accountable_person", {"org": "T1-V1"})])
def test_search_queries_are_bounded(county, client, twins, kind, params, django_assert_max_num_queries):
    for i in range(15):  # more people: the count does not grow
        u = make_user(f"extra{i}", f"张{i}")
        Membership.objects.create(user=u, org=county.v11, role=Role.MEMBER)
    client.force_login(county.staff)
    with django_assert_max_num_queries(9):  # one: django-otp's check of the session's second factor
        assert pick(client, kind, **params)[0] == 200
