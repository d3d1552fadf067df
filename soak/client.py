"""What a browser does that the soak's clients need: sign in, read a form's CSRF token and hidden
fields, send the Secure cookies over the loopback's plain http. Used by the load users
(locustfile.py, on locust's HttpSession) and by the final checks (run.py, on a plain
requests.Session) alike."""

import os
import re
import time

from django_otp.oath import TOTP
from requests.cookies import RequestsCookieJar

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN_PATH = "/accounts/login/"
SECOND_FACTOR_PATH = "/accounts/two-factor/"


def totp_key(username: str) -> str | None:
    """The person's authenticator key, from SOAK_TOTP_KEYS ("user:hex key,…", set by run.py from
    the demo's devices for the load and for its own checks)."""
    pairs = (pair.split(":", 1) for pair in os.environ.get("SOAK_TOTP_KEYS", "").split(",") if ":" in pair)
    return dict(pairs).get(username)


class LoopbackCookies(RequestsCookieJar):
    """Production marks the session and CSRF cookies Secure; TLS belongs to the reverse proxy,
    which the soak does not run, so the client keeps them as plain cookies to send over http to
    127.0.0.1. (requests copies the jar before each request, so a cookie policy would not do.)"""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def prepare(session) -> None:
    if not isinstance(session.cookies, LoopbackCookies):
        jar = LoopbackCookies()
        jar.update(session.cookies)
        session.cookies = jar


def csrf_token(html: str) -> str:
    m = CSRF.search(html)
    if not m:
        raise ValueError("no CSRF token on the page")
    return m.group(1)


def hidden(html: str, name: str) -> str | None:
    m = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return m.group(1) if m else None


def sign_in(session, base: str, username: str, password: str, **request_kw) -> bool:
    """The one place the soak signs in: the login form, user name and password. (A second factor
    for county staff and administrators, when the login asks for one, is answered here.)
    ``request_kw`` goes to every request (locust's ``name=``). True when signed in."""
    prepare(session)
    page = session.get(base + LOGIN_PATH, **request_kw)
    if page.status_code != 200:
        return False
    answer = session.post(base + LOGIN_PATH, data={
        "csrfmiddlewaretoken": csrf_token(page.text), "username": username, "password": password,
    }, allow_redirects=False, **request_kw)
    signed_in = answer.status_code == 302 and LOGIN_PATH not in answer.headers.get("Location", "")
    if signed_in and totp_key(username):  # the next page would ask for the code: give it now
        return second_factor(session, base, username, **request_kw)
    return signed_in


def second_factor(session, base: str, username: str, **request_kw) -> bool:
    """The code step, with the code the person's authenticator app would show. Two load users
    of one account may sign in within one 30-second step, and a code is accepted once: the
    second waits for the next step."""
    key = totp_key(username)
    if key is None:
        return False
    for _try in range(3):
        page = session.get(base + SECOND_FACTOR_PATH, allow_redirects=False, **request_kw)
        if page.status_code == 302:  # nothing (more) to ask
            return True
        answer = session.post(base + SECOND_FACTOR_PATH, data={
            "csrfmiddlewaretoken": csrf_token(page.text), "code": f"{TOTP(bytes.fromhex(key)).token():06d}", "next": "/",
        }, allow_redirects=False, **request_kw)
        if answer.status_code == 302:
            return True
        time.sleep(31 - time.time() % 30)
    return False
