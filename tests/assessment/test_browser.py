"""Browser: the assessment page of a year at 1366×768 (and 375 px) as county staff:
levels, scores, grades, ranks, the veto badge; no sideways scroll; screenshots in
var/screenshots/assessment_*.png."""

from datetime import date
from decimal import Decimal as D

import pytest

from assessment.models import Adjustment
from tests.browser import SHOTS, login

from .conftest import make_item, make_list, task_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]


def test_assessment_page_at_desktop_and_phone(page, live_server, client, county):
    c = county
    item = make_item(make_list(2026), 5)
    done = dict(status="approved", completed=date(2026, 2, 1), approved=date(2026, 2, 2))
    late = dict(status="approved", completed=date(2026, 4, 1), approved=date(2026, 4, 2))
    for org, how in [(c.town1, done), (c.town2, late), (c.v11, done), (c.v12, late), (c.v21, done),
                     (c.office, done), (c.commission, late)]:
        task_for(item, org, date(2026, 3, 31), **how)
    Adjustment.objects.create(org=c.v11, year=2026, kind="deduction", category="discipline_case", points=D("5"),
                              reason="发生违纪案件", veto=True, created_by=c.staff)
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, live_server, client, c.staff)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(live_server.url + "/assessment/?year=2026")
    assert page.locator("#level-town tbody tr").count() == 2
    assert page.locator("#level-village tbody tr").count() == 3
    assert page.locator("#level-department tbody tr").count() == 2
    town1 = page.locator(f'tr[data-org="{c.town1.pk}"]')
    assert town1.locator(".score").inner_text() == "100.00"
    assert town1.locator(".grade").inner_text() == "好"
    assert page.locator(f'tr[data-org="{c.town2.pk}"] .score').inner_text() == "0.00"
    assert page.locator(f'tr[data-org="{c.v11.pk}"] .veto').count() == 1
    assert page.locator(f'tr[data-org="{c.v11.pk}"] .grade').inner_text() == "差"
    assert page.locator("#export-link").is_visible()
    page.screenshot(path=str(SHOTS / "assessment_1366.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    page.screenshot(path=str(SHOTS / "assessment_375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_adjustments_and_rule_pages(page, live_server, client, county):
    c = county
    make_list(2026)
    Adjustment.objects.create(org=c.town1, year=2026, kind="bonus", category="experience", points=D("3"),
                              reason="“三务公开”做法被市纪委推广", created_by=c.staff)
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, live_server, client, c.staff)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(live_server.url + "/assessment/?year=2026")
    page.click("#accountability-link")
    assert "/assessment/accountability/" in page.url
    page.goto(live_server.url + "/assessment/adjustments/?year=2026")
    assert "三务公开" in page.locator("#adjustment-list").inner_text()
    page.screenshot(path=str(SHOTS / "assessment_adjustments_1366.png"), full_page=True)
    page.goto(live_server.url + "/assessment/rules/?year=2026")
    page.fill("#id_late_share", "0.5")
    page.click("#rule-form button")
    page.wait_for_load_state("networkidle")
    assert "/assessment/" in page.url and "评分规则已保存" in page.content()
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + "/assessment/adjustments/new/?year=2026")
    page.screenshot(path=str(SHOTS / "assessment_adjustment_form_375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
