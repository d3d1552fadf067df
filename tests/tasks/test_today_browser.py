"""A village officer's day on a phone: home shows the counts, the menu is short, a task is
submitted with a photo in 3 taps from 我的任务, the town is told, returns it, and the village
inbox shows the return. Screenshots: var/screenshots/today_*.png."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tasks.models import Task
from tests.browser import login, no_horizontal_scroll, shot

from .conftest import make_task
from .test_browser import DESKTOP, PHONE, PHOTO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]


def test_village_day_on_a_phone(page, live_server, client, county):
    task = make_task(county.v11, title="开展村级廉政谈话")
    make_task(county.v11, title="召开村务监督会议")

    login(page, live_server, client, county.v11_disc)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("home"))
    expect(page.locator("#home-today")).to_be_visible()
    assert no_horizontal_scroll(page)
    shot(page, "today_home_village_phone", full_page=True)
    page.locator(".navbar-toggler").click()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))  # the collapse has finished opening
    entries = page.locator("#main-nav > .navbar-nav > .nav-item")
    expect(entries.first).to_be_visible()
    assert entries.count() <= 5
    shot(page, "today_menu_village_phone", full_page=True)
    page.locator("#main-nav a.nav-link", has_text="我的任务").click()
    page.wait_for_url("**" + reverse("tasks:mine"))

    taps = 0
    page.locator(f".task-row[data-task='{task.pk}']").click(); taps += 1
    expect(page.locator("#id_note")).to_be_focused()  # the one required field is ready to type into
    page.keyboard.type("已与3名村干部开展廉政谈话")
    with page.expect_file_chooser() as chooser:
        page.locator("label[for=id_photos]").click(); taps += 1
    chooser.value.set_files([PHOTO])
    page.click("#submit-button"); taps += 1
    page.wait_for_url("**" + reverse("tasks:mine"))
    assert taps <= 3
    task.refresh_from_db()
    assert task.status == Task.Status.SUBMITTED and task.evidence.count() == 1

    # the town's reviewer is told, and returns it
    login(page, live_server, client, county.t1_disc)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("home"))
    expect(page.locator("#today-awaiting_my_review")).to_have_attribute("data-count", "1")
    shot(page, "today_home_town_desktop", full_page=True)
    page.goto(live_server.url + reverse("notifications:inbox"))
    expect(page.locator("#inbox-list")).to_contain_text("待您审核：" + task.title)
    page.goto(live_server.url + reverse("tasks:detail", args=[task.pk]))
    page.fill("#id_reason", "缺少谈话记录签字页")
    page.click("#return-button")
    page.wait_for_url("**" + reverse("tasks:review_queue"))

    # the village inbox no longer says "no messages"
    login(page, live_server, client, county.v11_disc)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("notifications:inbox"))
    expect(page.locator("#inbox-list")).to_contain_text("缺少谈话记录签字页")
    expect(page.locator("#inbox-list")).not_to_contain_text("还没有消息")
    assert no_horizontal_scroll(page)
    shot(page, "today_inbox_village_phone", full_page=True)
    page.goto(live_server.url + reverse("home"))
    expect(page.locator("#today-returned")).to_have_attribute("data-count", "1")
    page.locator("#today-returned").click()
    expect(page.locator(".task-row")).to_have_count(1)
    shot(page, "today_returned_village_phone", full_page=True)
