"""The top bar stays one line at 1366 px for the user with the most entries (county staff):
notifications' staff entries live in the Messages drop-down. Screenshots:
var/screenshots/tasks_navbar_*.png."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import login, no_horizontal_scroll, shot

from .test_browser import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]


def test_navbar_one_line_at_1366_and_sub_menu(county, page, live_server, client):
    login(page, live_server, client, county.staff)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("tasks:list"))
    items = page.locator("#main-nav > .navbar-nav > .nav-item")
    assert items.count() >= 9  # county staff (admin too) see most of the menu, the rest in drop-downs
    page.locator("#main-nav .dropdown-toggle", has_text="巡察整改").click()
    for name in ("inspections:documents", "inspections:talks"):
        expect(page.locator("#main-nav .dropdown-menu a[href='%s']" % reverse(name))).to_be_visible()
    page.keyboard.press("Escape")
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
    assert len(tops) == 1, tops  # every top-level entry on one line
    brand = page.locator(".navbar-brand").bounding_box()
    assert abs(brand["y"] - min(tops)) < 20  # and on the brand's line (not wrapped under it)
    settings_link = page.locator("#main-nav .dropdown-menu a[href='%s']" % reverse("notifications:settings"))
    assert not settings_link.is_visible()
    page.locator("#main-nav .dropdown-toggle", has_text="消息").click()
    assert settings_link.is_visible()
    assert page.locator("#main-nav .dropdown-menu a[href='%s']" % reverse("notifications:webhooks")).is_visible()
    shot(page, "tasks_navbar_staff_desktop", full_page=True)

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("tasks:list"))
    assert no_horizontal_scroll(page)
    page.locator(".navbar-toggler").click()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))  # the collapse has finished opening
    page.locator("#main-nav .dropdown-toggle", has_text="消息").click()
    expect(settings_link).to_be_visible()
    shot(page, "tasks_navbar_staff_phone", full_page=True)


def test_town_officer_has_plain_messages_entry(county, page, live_server, client):
    login(page, live_server, client, county.t1_disc)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("tasks:mine"))
    assert page.locator("#main-nav a.nav-link[href='%s']" % reverse("notifications:inbox")).is_visible()
    assert page.locator("#main-nav .dropdown-toggle", has_text="消息").count() == 0
    items = page.locator("#main-nav > .navbar-nav > .nav-item")
    assert len({round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}) == 1  # one line
    assert all(items.nth(i).bounding_box()["height"] < 48 for i in range(items.count()))  # no label wraps
    shot(page, "tasks_navbar_town_desktop", full_page=True)
