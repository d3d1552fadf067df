"""Run the rows of tests/matrix/accounts.py: every accounts URL and the project's
un-namespaced URLs × role; anonymous visitors are sent to login except on public pages;
refusals change nothing."""

import pytest
from django.urls import reverse

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, OrgUnit, User
from tests.matrix import accounts as matrix

pytestmark = pytest.mark.django_db

ALL = [(f"{matrix.APP}:{r.name}", r) for r in matrix.ROUTES] + [(r.name, r) for r in matrix.ROOT_ROUTES]
CASES = [(name, r, user, code) for name, r in ALL for user, code in r.expect.items()]


def state():
    return (
        sorted(User.objects.values_list("pk", "username", "password", "is_active", "must_change_password")),
        sorted(Membership.objects.values_list("pk", "org_id", "role", "end_date")),
        sorted(OrgUnit.objects.values_list("pk", "path", "is_active")),
        sorted(TOTPDevice.objects.filter(confirmed=True).values_list("pk", "user_id", "key")),
        sorted(StaticToken.objects.values_list("pk", "token")),
    )


def _url(name, route, ids):
    return reverse(name, kwargs={k: (v[1:] if v.startswith("=") else ids[v]) for k, v in route.kwargs.items()})


def test_every_url_is_declared():
    from accounts.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in matrix.ROUTES}


@pytest.mark.parametrize("name,route,username,expected", CASES,
                         ids=[f"{r.method} {n} {u}" for n, r, u, _ in CASES])
def test_route(county, client, name, route, username, expected):
    ids = matrix.setup(county)
    if username != "anonymous":
        client.force_login(county.users[username])
    before = state()
    url = _url(name, route, ids)
    response = client.post(url, route.data or {}) if route.method == "POST" else client.get(url, route.data or {})
    assert response.status_code == expected, (url, response.content[:300])
    if expected in (403, 404, 405):
        assert state() == before


@pytest.mark.parametrize("name,route", [(n, r) for n, r in ALL if "anonymous" not in r.expect],
                         ids=[f"{r.method} {n}" for n, r in ALL if "anonymous" not in r.expect])
def test_anonymous_is_sent_to_login(county, client, name, route):
    ids = matrix.setup(county)
    before = state()
    url = _url(name, route, ids)
    response = client.post(url, route.data or {}) if route.method == "POST" else client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert state() == before
