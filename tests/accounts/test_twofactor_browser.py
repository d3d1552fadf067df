"""Browser (Debian chromium): two-factor sign-in as a person does it. County staff on a desktop
(1366×768) and the security administrator on a phone (375×812) sign in through the real form,
are made to enrol (QR code), confirm with the code their authenticator would show (computed from
the device's key), see their recovery codes once, then sign in again with a code. Screenshots in
var/screenshots/accounts_otp_*.png; no sideways scrolling."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import User
from tests.browser import no_horizontal_scroll, shot
from tests.county import make_user
from tests.twofactor import next_code

from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]


def enrol_and_return(page, base, username, size):
    sign_in(page, base, username)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/"))
    expect(page.locator("#otp-qr")).to_be_visible()
    assert page.locator("#otp-qr").evaluate("img => img.naturalWidth > 0"), "the QR code is drawn"
    assert not page.locator(".qd-navbar").count(), "no menu before the second factor"
    shot(page, f"accounts_otp_enrol_{size}", full_page=True)
    assert no_horizontal_scroll(page)

    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    typed_key = page.locator("#otp-key").inner_text().replace(" ", "")
    assert typed_key and re.fullmatch(r"[A-Z2-7]+", typed_key)
    page.fill("#id_code", "000000" if next_code(device) != "000000" else "111111")
    page.click("#otp-enrol-form button[type=submit]")
    expect(page.locator("#otp-error")).to_contain_text("验证码错误")
    page.wait_for_timeout(1100)  # a wrong code makes the next try wait a second (django-otp's throttling)
    page.fill("#id_code", next_code(device))
    page.click("#otp-enrol-form button[type=submit]")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    shot(page, f"accounts_otp_recovery_{size}", full_page=True)
    assert no_horizontal_scroll(page)
    page.click("#recovery-continue")
    expect(page).to_have_url(base + "/")

    page.locator("#user-menu").click()
    page.locator("#logout-button").click()
    page.wait_for_url("**/accounts/login/**")
    sign_in(page, base, username)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
    shot(page, f"accounts_otp_verify_{size}")
    assert no_horizontal_scroll(page)
    page.fill("#id_code", next_code(device))
    page.click("#otp-verify-form button[type=submit]")
    expect(page).to_have_url(base + "/")


def test_county_staff_enrol_on_a_desktop_and_an_administrator_on_a_phone(page, live_server, county):
    page.set_viewport_size({"width": 1366, "height": 768})
    enrol_and_return(page, live_server.url, "staff", "desktop")
    assert "示范县" in page.locator("#my-scope").inner_text()

    make_user("secadm", admin_role="security")
    page.context.clear_cookies()
    page.set_viewport_size({"width": 375, "height": 812})
    enrol_and_return(page, live_server.url, "secadm", "phone")
    page.goto(live_server.url + "/accounts/two-factor/accounts/")
    expect(page.locator("#second-factor-table")).to_contain_text("staff")
    shot(page, "accounts_otp_resets_phone", full_page=True)
    assert no_horizontal_scroll(page)
    page.locator("#second-factor-table tr", has_text="staff").get_by_role("button").click()
    expect(page.locator(".alert-success")).to_contain_text("重置")
    assert not TOTPDevice.objects.filter(user=User.objects.get(username="staff")).exists()


def test_wrong_codes_lock_the_account_on_a_phone_and_the_policy_page_on_a_desktop(page, live_server, county, client):
    from accounts import policy
    from accounts.twofactor import enrol_directly
    from tests.browser import login

    policy.assume(policy.Policy(2, 30, 90))  # two failures lock: the page is the point here
    device = enrol_directly(county.staff)
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, live_server.url, "staff")
    wrong = "000000" if next_code(device) != "000000" else "111111"
    page.fill("#id_code", wrong)
    page.click("#otp-verify-form button[type=submit]")
    expect(page.locator("#otp-error")).to_contain_text("验证码错误")
    page.wait_for_timeout(1100)  # past django-otp's one-second wait
    page.fill("#id_code", wrong)
    page.click("#otp-verify-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("账号已锁定")
    expect(page.locator(".alert-danger")).to_contain_text("30 分钟")
    shot(page, "accounts_otp_locked_phone", full_page=True)
    assert no_horizontal_scroll(page)

    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, client, make_user("secadm", admin_role="security"))
    page.goto(live_server.url + "/admin/accounts/securitypolicy/add/")
    choice = page.locator("#id_workapp_counts_as_second_factor")
    expect(choice).to_contain_text("使用服务器配置")
    choice.select_option("True")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    page.goto(live_server.url + "/admin/accounts/securitypolicy/1/change/")
    shot(page, "accounts_policy_workapp_desktop", full_page=True)
    assert policy.workapp_counts_as_second_factor() is True
