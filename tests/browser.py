"""Shared helpers for the Playwright browser tests (``@pytest.mark.browser``)."""

from pathlib import Path

from django.conf import settings

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
SIZES = {"desktop": (1366, 768), "phone": (375, 812)}


def login(page, live_server, client, user):
    """Sign ``user`` in for the browser: the password step by force_login on the test client,
    its session cookie handed to the page's context (django-axes makes ``client.login``
    unusable); then, where the person signs in with a second factor, the page types the code
    their TOTP device shows (tests/twofactor.py). Any earlier user's cookies are cleared first,
    so a test can switch users on one page."""
    from django.urls import reverse

    from tests.twofactor import device_for, needs_code, next_code

    page.context.clear_cookies()
    client.force_login(user, second_factor=False)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    if needs_code(user):
        device = device_for(user)
        page.goto(live_server.url + reverse("accounts:otp_verify"))
        page.fill("#id_code", next_code(device))
        page.click("#otp-verify-form button[type=submit]")
        page.wait_for_url(lambda url: "/two-factor/" not in url)


def no_horizontal_scroll(page) -> bool:
    """True when the page does not scroll sideways at the current viewport width (measured once
    the page has loaded: before its stylesheet applies, a table lays out at its natural width)."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def shot(page, name: str, **kwargs) -> Path:
    """Save a screenshot as var/screenshots/<name>.png and return its path."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path


def pick(page, field_id, typed, option_text):
    """Choose in a searchable picker (Tom Select) as a person does: type, then click the offer."""
    typing = page.locator(f"#{field_id} + .ts-wrapper .ts-control input")
    if page.locator(f"#{field_id}").evaluate("e => e.multiple"):
        typing.click()  # not the middle of the box: on a phone a chosen item's × may lie there
    else:
        page.locator(f"#{field_id} + .ts-wrapper .ts-control").click()
    typing.fill("")  # what an earlier choice left typed
    page.keyboard.type(typed)
    page.locator(".ts-dropdown:visible .option", has_text=option_text).first.click()
