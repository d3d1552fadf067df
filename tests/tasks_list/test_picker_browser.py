"""The task list's unit filter in a real browser: typing 城关 offers 城关镇 (with its parent),
picking it and applying lists 城关镇's tasks; no CSP violation on the way. At 1366×768 and
375×812; screenshots var/screenshots/tasks_list_picker_<open|result>_<width>.png."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tasks.models import Task
from tests.browser import SIZES, login, no_horizontal_scroll, shot
from tests.reports.conftest import populate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge"),
]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_type_a_name_pick_the_unit(page, live_server, client, county, size):
    populate(county)
    expected = Task.objects.filter(org__path__startswith=county.town1.path).count()
    login(page, live_server, client, county.staff)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text or "TomSelect" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    w, h = SIZES[size]
    page.set_viewport_size({"width": w, "height": h})
    page.goto(live_server.url + reverse("tasks:list"))
    control = page.locator("#id_org + .ts-wrapper .ts-control")
    expect(control).to_be_visible()
    control.click()
    page.keyboard.type("城关")
    option = page.locator(".ts-dropdown .option", has_text="城关镇")
    expect(option).to_have_text("城关镇 · 示范县")
    expect(page.locator(".ts-dropdown .option")).to_have_count(1)
    shot(page, f"tasks_list_picker_open_{w}", full_page=True)
    option.click()
    expect(page.locator("#id_org")).to_have_value("T1")
    expect(page.locator(".ts-dropdown")).to_be_hidden()
    box = page.locator("details form button.btn-primary").bounding_box()
    page.locator("h1").click()  # leave the picker: the Apply button must not move when it loses focus
    assert page.locator("details form button.btn-primary").bounding_box() == box
    page.locator("details form button.btn-primary").click()
    page.wait_for_url(lambda url: "org=T1" in url)
    expect(page.locator("#result-count")).to_have_attribute("data-count", str(expected))
    expect(page.locator("#list-what")).to_contain_text("城关镇")
    expect(page.locator(".ts-control .item")).to_have_text("城关镇 · 示范县")  # the choice shown by name after the reload
    assert no_horizontal_scroll(page)
    shot(page, f"tasks_list_picker_result_{w}", full_page=True)
    assert not problems, problems
