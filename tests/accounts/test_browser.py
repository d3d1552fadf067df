"""Browser (Debian chromium): a village officer signs in through the real login form
on a phone (375×812), county staff on a desktop (1366×768); screenshots in
var/screenshots/accounts_*.png; no sideways scrolling; sign-out ends the session."""

import pytest

from accounts.twofactor import enrol_directly
from tests.browser import no_horizontal_scroll, shot
from tests.county import PASSWORD
from tests.twofactor import next_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]

def sign_in(page, base, username, password=PASSWORD, device=None):
    """The real login form; with ``device`` (the person's TOTP device) also the code step, typing
    the code the device shows."""
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    if device is not None:
        assert "/accounts/two-factor/" in page.url, "the code step follows the password"
        page.fill("#id_code", next_code(device))
        page.click("#otp-verify-form button[type=submit]")
        page.wait_for_url(lambda url: "/two-factor/" not in url)


def test_village_officer_on_a_phone(page, live_server, county):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url, "anonymous visitors are sent to sign in"
    assert "登录" in page.content()
    shot(page, "accounts_login_phone")
    assert no_horizontal_scroll(page)

    sign_in(page, live_server.url, "v11_clerk", "wrong-Password9")
    assert "用户名或密码错误" in page.locator(".alert-danger").inner_text()

    sign_in(page, live_server.url, "v11_clerk")
    assert page.url == live_server.url + "/"
    roles = page.locator("#my-memberships").inner_text()
    assert "东村" in roles and "联络员" in roles
    assert "河口镇" not in page.content() and "西村" not in page.content()
    shot(page, "accounts_home_village_phone", full_page=True)
    assert no_horizontal_scroll(page)

    # sign out from the user menu (a POST form)
    page.locator("#user-menu").click()
    page.locator("#logout-button").click()
    page.wait_for_url("**/accounts/login/**")
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url, "the session is gone"


def test_county_staff_on_a_desktop(page, live_server, county):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server.url, "staff", device=enrol_directly(county.staff))  # county staff: a second factor
    scope = page.locator("#my-scope").inner_text()
    assert "示范县" in scope
    work = page.locator("#home-work").inner_text()
    assert work.strip()
    shot(page, "accounts_home_staff_desktop", full_page=True)
    assert no_horizontal_scroll(page)
    page.goto(live_server.url + "/accounts/password/")
    shot(page, "accounts_password_desktop")
    assert page.locator("input[name=new_password1]").is_visible()


def test_import_page_on_a_phone(page, live_server, county):
    from tests.county import make_user

    sysadmin = make_user("sysadmin", is_staff=True, is_superuser=True)
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, live_server.url, "sysadmin", device=enrol_directly(sysadmin))
    page.goto(live_server.url + "/accounts/import/")
    assert "批量导入" in page.content()
    page.set_input_files("input[type=file]", files=[{"name": "a.xlsx", "mimeType": "application/octet-stream",
                                                     "buffer": b"this is not a workbook"}])
    page.click("main button[type=submit]")
    assert "不是 Excel 工作簿" in page.locator("#import-errors").inner_text()
    shot(page, "accounts_import_phone", full_page=True)
    assert no_horizontal_scroll(page)
