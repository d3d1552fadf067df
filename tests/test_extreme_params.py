"""No query string makes a page fail: every GET route of the URL matrix, as county staff, with
extreme values for every parameter the page's forms name plus a standard set.

For each route: one request per extreme value with every parameter set to it, then one request
per parameter for the date and number extremes alone (so a parameter refused first cannot hide
another). Any 5xx fails, naming the URL."""

import re
from importlib import import_module
from pathlib import Path
from urllib.parse import quote

import pytest

from tests import matrix as run

pytestmark = pytest.mark.django_db

STANDARD = ("as_of", "year", "quarter", "month", "page", "org", "colour", "status", "period", "q",
            "due_from", "due_to", "round", "kind", "figure")
EXTREMES = ("9999-12-31", "0001-01-01", "-1", "1" + "0" * 20, "", "x" * 4096, "%ff%fe")
ALONE = ("9999-12-31", "0001-01-01", "-1", "1" + "0" * 20)
MODULES = sorted(p.stem for p in Path(__file__).parent.joinpath("matrix").glob("*.py") if not p.stem.startswith("_"))
FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
SKIP_FIELDS = {"csrfmiddlewaretoken", "next"}


def encoded(value: str) -> str:
    return value if value.startswith("%") else quote(value, safe="")


def query(names, value) -> str:
    return "&".join(f"{quote(n, safe='')}={encoded(value)}" for n in names)


def walker(route) -> str | None:
    """Who gets the page: county staff, else the administrator, else an anonymous visitor (a
    sign-in page); None: nobody, the route is not walked."""
    return next((u for u in ("staff", "admin", "anonymous") if route.expect.get(u) == 200), None)


def get_routes(module):
    routes = list(module.ROUTES) + list(getattr(module, "ROOT_ROUTES", []))
    return [r for r in routes if r.method == "GET" and walker(r)]


@pytest.mark.parametrize("name", MODULES)
def test_extreme_query_values_never_answer_5xx(county, client, settings, name):
    from django.core.cache import cache
    from django.urls import reverse

    client.raise_request_exception = False  # a 500 is collected, not raised
    module = import_module(f"tests.matrix.{name}")
    for setting, value in getattr(module, "SETTINGS", {}).items():  # what the module's rows run with
        setattr(settings, setting, value)
    ids = module.setup(county)
    failures, requests = [], 0
    for route in get_routes(module):
        cache.clear()  # the API's per-user rate limit counts in the cache: each route starts afresh
        user = walker(route)
        client.logout()
        if user != "anonymous":
            client.force_login(county.users[user])
        if route in getattr(module, "ROOT_ROUTES", []):
            path = reverse(route.name)
        else:
            path = run.url(module, route, ids)
        page = client.get(path, route.data or {})
        if page.status_code != 200:
            failures.append(f"{page.status_code} {path} with its ordinary query")
            continue
        names = set(STANDARD) | set(route.data or {})
        if page.get("Content-Type", "").startswith("text/html"):
            names |= set(FIELD.findall(page.content.decode())) - SKIP_FIELDS
        attempts = [query(sorted(names), v) for v in EXTREMES]
        attempts += [query([n], v) for n in sorted(names) for v in ALONE]
        for qs in attempts:
            response = client.get(f"{path}?{qs}")
            requests += 1
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {path}?{qs[:160]}")
    assert requests, "no GET route was walked"
    assert not failures, f"{len(failures)} of {requests} requests failed:\n  " + "\n  ".join(failures[:60])


def test_the_reported_overflows_answer_with_the_default_or_a_clear_message(county, login):
    client = login(county.staff)
    response = client.get("/reports/?as_of=9999-12-31")
    assert response.status_code == 200
    response = client.get("/tasks/list/?as_of=9999-12-31&colour=red")
    assert response.status_code == 200
    assert "请输入 2000-01-01 至 2100-12-31 之间的日期。" in response.content.decode()


def test_query_helpers_keep_values_in_range():
    from datetime import date

    from accounts.params import BoundedDateField, query_date, query_id, query_int, query_year

    assert query_year("2026", 2020) == 2026
    for bad in ("1999", "2101", "-1", "1" + "0" * 20, "", None, "x" * 4096, "\ufffd\ufffd", "2026.0"):
        assert query_year(bad, 2020) == 2020, bad
    assert query_int("4", 1, 4) == 4 and query_int("5", 1, 4) is None and query_int(" 3 ", 1, 4) == 3
    assert query_id("12") == 12 and query_id("0") is None and query_id(str(2**63)) is None
    assert query_date("2026-11-18") == date(2026, 11, 18)
    for bad in ("9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01", "2026-13-01", "", None, "x" * 4096):
        assert query_date(bad, "default") == "default", bad
    field = BoundedDateField()
    assert field.clean("2100-12-31") == date(2100, 12, 31)
    with pytest.raises(Exception) as exc:
        field.clean("9999-12-31")
    assert exc.value.code == "range"


def test_ids_that_look_like_digits_but_are_not_numbers_answer_without_error(county, client):
    """``"²".isdigit()`` is true, ``int("²")`` fails: every id read from a query goes through
    ``accounts.params.query_id``."""
    client.raise_request_exception = False
    client.force_login(county.staff)
    for path in ("/tasks/list/?org=²", "/tasks/list/?source_type=²&source_id=1",
                 "/tasks/lists/dispatch/?item=²", "/tasks/progress/?org=²"):
        assert client.get(path).status_code < 500, path
