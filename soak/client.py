"""What a browser does that the soak's clients need: sign in, read a form's CSRF token and hidden
fields, send the Secure cookies over the loopback's plain http. Used by the load users
(locustfile.py, on locust's HttpSession) and by the final checks (run.py, on a plain
requests.Session) alike."""

import re
from requests.cookies import RequestsCookieJar

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN_PATH = "/accounts/login/"


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
    return answer.status_code == 302 and LOGIN_PATH not in answer.headers.get("Location", "")
