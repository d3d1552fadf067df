"""In a real browser, from the county's dashboard to a town's, to a village's, to the task
list, the count shown on each row is the total of the page it leads to. At 1366×768 and
375×812; screenshots var/screenshots/reports_drill_<level>_<width>.png."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import SIZES, login, no_horizontal_scroll, shot

from .conftest import AS_OF, populate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge"),
]


def row_due(page, code):
    return page.locator(f'#org-table tr[data-org="{code}"] td:nth-child(2) .figure-link').inner_text()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_county_to_town_to_village_to_list(page, live_server, client, county, size):
    populate(county)
    login(page, live_server, client, county.staff)
    w, h = SIZES[size]
    page.set_viewport_size({"width": w, "height": h})
    page.goto(live_server.url + reverse("reports:dashboard") + f"?year=2026&quarter=3&as_of={AS_OF.isoformat()}")
    expect(page.locator('#org-table tr[data-own="1"][data-org="C"]')).to_be_visible()
    town_due = row_due(page, "T1")
    assert town_due == "6"
    shot(page, f"reports_drill_county_{w}", full_page=True)

    page.locator('#org-table tr[data-org="T1"] a.drill').click()
    expect(page.locator("#breadcrumbs")).to_contain_text("示范县")
    expect(page.locator("#fig-due .figure-link")).to_have_text(town_due)
    expect(page.locator('#org-table tr[data-own="1"][data-org="T1"]')).to_contain_text("本级")
    village_due = row_due(page, "T1-V1")
    assert village_due == "3" and row_due(page, "T1") == "1" and row_due(page, "T1-V2") == "2"
    assert no_horizontal_scroll(page)
    shot(page, f"reports_drill_town_{w}", full_page=True)

    page.locator('#org-table tr[data-org="T1-V1"] a.drill').click()
    expect(page.locator("#breadcrumbs")).to_contain_text("城关镇")
    expect(page.locator("#fig-due .figure-link")).to_have_text(village_due)
    expect(page.locator("#org-table tbody tr")).to_have_count(1)
    assert row_due(page, "T1-V1") == village_due
    shot(page, f"reports_drill_village_{w}", full_page=True)

    page.locator('#org-table tr[data-org="T1-V1"] td:nth-child(2) .figure-link').click()
    expect(page.locator("#result-count")).to_have_attribute("data-count", village_due)
    expect(page.locator(".task-row")).to_have_count(int(village_due))
    expect(page.locator("#list-what")).to_contain_text("东村")
    assert no_horizontal_scroll(page)
    shot(page, f"reports_drill_list_{w}", full_page=True)
