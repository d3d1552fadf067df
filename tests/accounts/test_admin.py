"""The Django admin for the org tree, users and memberships: pages load, and every
change that affects who sees what is audited."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Membership, OrgUnit
from accounts.scope import visible_to
from tests.county import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(county, client):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("name", ["accounts_orgunit", "accounts_user", "accounts_membership", "accounts_auditevent"])
def test_changelists_load(admin_client, name):
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_org_pages_and_export(admin_client, county):
    assert admin_client.get(reverse("admin:accounts_orgunit_change", args=[county.v11.pk])).status_code == 200
    assert admin_client.get(reverse("admin:accounts_orgunit_add")).status_code == 200
    assert admin_client.get(reverse("admin:accounts_orgunit_delete", args=[county.v11.pk])).status_code == 403


def org_form(org, parent, **extra):
    return {"name": org.name, "code": org.code, "kind": org.kind, "subkind": org.subkind, "is_active": "on",
            "treebeard_position": "first-child", "treebeard_ref_node": parent.pk, **extra}


def test_moving_a_village_in_the_admin_is_audited_and_scope_follows(admin_client, county):
    r = admin_client.post(reverse("admin:accounts_orgunit_change", args=[county.v12.pk]), org_form(county.v12, county.town2))
    assert r.status_code == 302, r.content[:2000]
    assert OrgUnit.objects.get(pk=county.v12.pk).get_parent().code == "T2"
    ev = AuditEvent.objects.get(action="org.moved", object_id=str(county.v12.pk))
    assert ev.detail["old_parent"] == "T1" and ev.detail["new_parent"] == "T2"
    assert "T1-V2" in set(visible_to(county.t2_disc).values_list("code", flat=True))
    assert "T1-V2" not in set(visible_to(county.t1_party).values_list("code", flat=True))
    assert OrgUnit.find_problems() == ([], [], [], [], [])


def test_creating_and_deactivating_an_org_is_audited(admin_client, county):
    data = {"name": "新村", "code": "T1-V9", "kind": "village", "subkind": "村", "is_active": "on",
            "treebeard_position": "first-child", "treebeard_ref_node": county.town1.pk}
    assert admin_client.post(reverse("admin:accounts_orgunit_add"), data).status_code == 302
    new = OrgUnit.objects.get(code="T1-V9")
    assert new.get_parent().code == "T1"
    assert AuditEvent.objects.filter(action="org.created", object_id=str(new.pk)).exists()
    data = org_form(county.v11, county.town1)
    data.pop("is_active")
    assert admin_client.post(reverse("admin:accounts_orgunit_change", args=[county.v11.pk]), data).status_code == 302
    ev = AuditEvent.objects.get(action="org.changed", object_id=str(county.v11.pk))
    assert ev.detail["fields"] == ["is_active"]
    assert not visible_to(county.v11_clerk, "work").exists()


def test_user_permission_changes_are_audited(admin_client, county):
    u = county.t1_clerk
    data = {"username": u.username, "full_name": u.full_name, "mobile": "", "email": "", "is_active": "",
            "must_change_password": "", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    r = admin_client.post(reverse("admin:accounts_user_change", args=[u.pk]), data)
    assert r.status_code == 302, r.content[:3000]
    ev = AuditEvent.objects.get(action="user.changed", object_id=str(u.pk))
    assert "is_active" in ev.detail["fields"] and ev.detail["is_active"] is False
    u.refresh_from_db()
    assert not visible_to(u).exists()


def test_membership_added_in_the_admin_grants_and_audits(admin_client, county):
    u = make_user("fresh")
    data = {"user": u.pk, "org": county.v21.pk, "role": "clerk", "title": "", "start_date": "2020-01-01", "end_date": ""}
    assert admin_client.post(reverse("admin:accounts_membership_add"), data).status_code == 302
    assert Membership.objects.filter(user=u).exists()
    assert AuditEvent.objects.filter(action="membership.created", detail__member="fresh").exists()
    assert set(visible_to(u).values_list("code", flat=True)) == {"T2-V1"}
