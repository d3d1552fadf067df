"""Sign in to the app on loopback as one demo account through the real login form (CSRF
token, password, then — given one — the second factor's code) and print the resulting cookies as one `name=value; name=value` line:
what `make scan` hands to wapiti and sqlmap. Standard library only. Cookies are kept by hand:
the app marks them Secure (production settings), which a cookie jar would not send over the
loopback's plain http.

    python scripts/scan_login.py http://127.0.0.1:18796 jw_staff Qingdan@2026 123456
"""

import http.client
import re
import sys
import urllib.parse


def cookies_of(response, jar: dict) -> dict:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def second_factor(conn, base: str, jar: dict, code: str) -> bool:
    """The sign-in's code step (county staff sign in with a second factor)."""
    conn.request("GET", "/accounts/two-factor/", headers={"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    response = conn.getresponse()
    page = response.read().decode()
    cookies_of(response, jar)
    if response.status == 302:  # no code asked of this account
        return True
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1) if token else "", "code": code})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"{base}/accounts/two-factor/",
               "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
    conn.request("POST", "/accounts/two-factor/", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    cookies_of(response, jar)
    return response.status == 302


def main(base: str, username: str, password: str, code: str = "") -> int:
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    jar = cookies_of(response, {})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token:
        print("scan_login: no CSRF token on the login page", file=sys.stderr)
        return 1
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "username": username, "password": password})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"{base}/accounts/login/",
               "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
    conn.request("POST", "/accounts/login/", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    cookies_of(response, jar)
    if response.status != 302 or "sessionid" not in jar:
        print(f"scan_login: signing in as {username} failed (HTTP {response.status})", file=sys.stderr)
        return 1
    if code and not second_factor(conn, base, jar, code):
        print(f"scan_login: the second factor of {username} was refused", file=sys.stderr)
        return 1
    print("; ".join(f"{k}={v}" for k, v in sorted(jar.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
