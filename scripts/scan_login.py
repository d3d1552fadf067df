"""Sign in to the app on loopback as one demo account through the real login form (CSRF
token, password) and print the resulting cookies as one `name=value; name=value` line:
what `make scan` hands to wapiti and sqlmap. Standard library only. Cookies are kept by hand:
the app marks them Secure (production settings), which a cookie jar would not send over the
loopback's plain http.

    python scripts/scan_login.py http://127.0.0.1:18796 jw_staff Qingdan@2026
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


def main(base: str, username: str, password: str) -> int:
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
    print("; ".join(f"{k}={v}" for k, v in sorted(jar.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
