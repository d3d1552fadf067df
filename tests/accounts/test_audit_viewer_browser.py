"""Browser: the audit administrator signs in through the real form, sees only his page in the
menu, filters the trail by an operation chosen by its Chinese name; desktop 1366×768 and phone
375×812 without sideways scrolling. Screenshots: var/screenshots/accounts_audit_*.png."""

import pytest
from playwright.sync_api import expect

from accounts import audit
from accounts.twofactor import enrol_directly
from tests.browser import SIZES, no_horizontal_scroll, shot
from tests.county import make_user

from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_audit_administrator_filters_the_trail(page, live_server, county, size):
    auditor = make_user("auditor", admin_role="audit")
    token = audit.set_request_context(ip="10.1.2.3", request_id="req-0001", user=None)
    try:
        audit.record("auth.login_failed", result="failure", username="t1_disc")
        audit.record("membership.created", user=make_user("root", is_superuser=True), obj=county.t1_clerk,
                     member="t1_clerk", role="clerk")
    finally:
        audit.reset_request_context(token)
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server.url, "auditor", device=enrol_directly(auditor))  # administrators: a second factor
    page.goto(live_server.url + "/accounts/audit/")
    expect(page.locator("h1")).to_have_text("审计日志")
    expect(page.locator("#audit-table")).to_contain_text("任命角色")
    expect(page.locator("#audit-table")).to_contain_text("紧急账号")
    assert no_horizontal_scroll(page)
    shot(page, f"accounts_audit_{size}", full_page=True)
    page.select_option("#id_action", label="登录失败")
    page.click("#audit-filters button[type=submit]")
    expect(page.locator("#audit-table tbody tr")).to_have_count(1)
    expect(page.locator("#audit-table")).to_contain_text("10.1.2.3")
    assert no_horizontal_scroll(page)
    shot(page, f"accounts_audit_filtered_{size}", full_page=True)
    # the menu offers him nothing but his page
    if size == "phone":
        page.locator(".navbar-toggler").click()
    links = page.locator("#main-nav a.nav-link")
    expect(links).to_have_count(1)
    assert page.locator("#notification-bell").count() == 0
