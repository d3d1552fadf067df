"""Every screen a county user reaches is Chinese: each GET page of the URL matrix, as county
staff, and the admin's sign-in lockout pages, as the system administrator, show none of the
English leftovers once found there (codes and names of installed apps' models).

Only the text a person reads is checked (tags, attribute values, scripts and styles removed),
so a value such as ``<option value="inapp">`` is fine, a cell reading "inapp" is not."""

import html
import re
from importlib import import_module
from pathlib import Path

import pytest
from axes.models import AccessAttempt

from tests import matrix as run
from tests.county import make_user

pytestmark = pytest.mark.django_db

LEFTOVERS = ("auth.login", "auth.logout", "inapp", "wecom", "dingtalk", "Access attempts", "Access attempt",
             "Access failures", "Access logs", "Axes", "Attempt Time", "Failed Logins", "User Agent")
MODULES = sorted(p.stem for p in Path(__file__).parent.joinpath("matrix").glob("*.py") if not p.stem.startswith("_"))
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<[^>]*>", re.S | re.I)
ADMIN_PAGES = ("/admin/", "/admin/axes/accessattempt/", "/admin/axes/accessfailurelog/", "/admin/axes/accesslog/")


def visible_text(page: str) -> str:
    return html.unescape(HIDDEN.sub(" ", page))


def leftovers(text: str) -> list[str]:
    return [w for w in LEFTOVERS if re.search(rf"(?<![\w.]){re.escape(w)}(?![\w.])", text)]


def test_the_leftover_check_sees_what_a_person_reads():
    assert leftovers(visible_text('<td>inapp</td><option value="wecom">企业微信</option>')) == ["inapp"]
    assert leftovers(visible_text("<h1>Access attempts</h1><script>var axes='Axes';</script>")) == ["Access attempts"]


@pytest.mark.parametrize("name", MODULES)
def test_county_staff_pages_show_no_english_leftovers(county, client, name):
    from django.urls import reverse

    module = import_module(f"tests.matrix.{name}")
    ids = module.setup(county)
    client.force_login(county.staff)
    found, walked = [], 0
    for route in module.ROUTES + list(getattr(module, "ROOT_ROUTES", [])):
        if route.method != "GET" or route.expect.get("staff") != 200:
            continue
        path = reverse(route.name) if route in getattr(module, "ROOT_ROUTES", []) else run.url(module, route, ids)
        response = client.get(path, route.data or {})
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        walked += 1
        words = leftovers(visible_text(response.content.decode()))
        if words:
            found.append(f"{path}: {', '.join(words)}")
    assert walked or name in {"api"}, "no page was walked"
    assert not found, "English left on pages:\n  " + "\n  ".join(found)


def test_admin_sign_in_lockout_pages_are_chinese(client):
    AccessAttempt.objects.create(username="someone", ip_address="10.0.0.1", user_agent="x", http_accept="*/*",
                                 path_info="/accounts/login/", get_data="", post_data="", failures_since_start=3)
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    found = []
    for path in ADMIN_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        words = leftovers(visible_text(response.content.decode()))
        if words:
            found.append(f"{path}: {', '.join(words)}")
    assert "登录尝试" in visible_text(client.get("/admin/axes/accessattempt/").content.decode())
    assert not found, "English left in the admin:\n  " + "\n  ".join(found)
