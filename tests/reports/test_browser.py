"""The dashboard in a real browser: charts drawn at 1366×768, a readable summary at
375×812 without sideways scroll, a figure followed to the list with the same count.
Screenshots: var/screenshots/reports_dashboard_1366.png and _375.png."""

import pytest
from django.urls import reverse

from tests.browser import login, no_horizontal_scroll, shot

from .conftest import populate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge"),
]

def test_dashboard_in_browser(page, live_server, client, county):
    populate(county)
    login(page, live_server, client, county.staff)
    url = live_server.url + reverse("reports:dashboard") + "?year=2026&quarter=3&as_of=2026-09-20"
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(url)
    page.wait_for_selector("#chart-orgs canvas")
    assert page.locator("#chart-trend canvas").count() == 1
    assert page.locator("#fig-due .figure-link").inner_text() == "9"
    page.wait_for_timeout(600)  # chart animation
    shot(page, "reports_dashboard_1366", full_page=True)
    # sorting the table by due puts the biggest first after two clicks
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(url)
    page.wait_for_selector("#chart-orgs canvas")
    assert no_horizontal_scroll(page)
    assert page.locator("#fig-on_time").is_visible() and page.locator("#rate-total").inner_text() == "44.4%"
    page.wait_for_timeout(600)
    shot(page, "reports_dashboard_375", full_page=True)
    page.click("#fig-overdue_open .figure-link")
    page.wait_for_selector("#result-count")
    assert page.locator("#result-count").get_attribute("data-count") == "3"
