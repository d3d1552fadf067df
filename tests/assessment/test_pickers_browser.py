"""The 问责 form in a real browser: county staff find the unit, the person held accountable and
the task by typing part of their names — the person and the task offered only from the unit
chosen (its own people; its and its villages' tasks) — and save. Screenshots at 1366×768 and
375×812: var/screenshots/assessment_accountability_pickers_*.png."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Membership
from accounts.roles import Role
from assessment.models import Accountability
from tests.browser import login, no_horizontal_scroll, pick, shot
from tests.county import make_user

from .conftest import make_item, make_list, task_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]


@pytest.mark.parametrize("size", [(1366, 768), (375, 812)], ids=["desktop", "phone"])
def test_accountability_through_the_pickers(page, live_server, client, county, size):
    c = county
    item = make_item(make_list(2026), 3)
    ours, theirs = task_for(item, c.v11, date(2026, 9, 30)), task_for(item, c.v21, date(2026, 9, 30))
    person = make_user("v11_zhao", "赵志强")
    Membership.objects.create(user=person, org=c.v11, role=Role.PARTY_SECRETARY, title="村党支部书记")
    other = make_user("v21_zhao", "赵志刚")  # 南村: never offered for 东村
    Membership.objects.create(user=other, org=c.v21, role=Role.PARTY_SECRETARY, title="村党支部书记")

    login(page, live_server, client, c.staff)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(live_server.url + reverse("assessment:accountability_create"))
    pick(page, "id_org", "东村", "东村 · 城关镇")
    page.select_option("#id_target", "person")
    page.locator("#id_person + .ts-wrapper .ts-control").click()
    page.keyboard.type("赵志")
    expect(page.locator(".ts-dropdown:visible .option")).to_have_text(["赵志强 · 东村 · 村党支部书记"])
    page.locator(".ts-dropdown:visible .option").first.click()
    page.select_option("#id_measure", "person_admonish")
    page.select_option("#id_duty", "main")
    page.fill("#id_reason", "履行主体责任不力，村务公开逾期")
    page.fill("#id_decided_on", "2026-11-10")
    page.fill("#id_decided_by", "县纪委常委会")
    page.locator("#id_task + .ts-wrapper .ts-control").click()
    page.keyboard.type(item.title[:4])
    expect(page.locator(".ts-dropdown:visible .option")).to_have_text([f"{item.title} · 东村 · 城关镇 · 2026-09"])
    page.locator(".ts-dropdown:visible .option").first.click()
    expect(page.locator("#id_task")).to_have_value(str(ours.pk))
    assert no_horizontal_scroll(page)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky menu at the top of the full-page image
    shot(page, f"assessment_accountability_pickers_{size[0]}", full_page=True)
    page.locator("#register-form button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    rec = Accountability.objects.get()
    assert (rec.org, rec.person, rec.task) == (c.v11, person, ours) and rec.task != theirs
