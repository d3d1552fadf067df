"""The scope trio for every API route and token page (tests/matrix/api.py, tokens.py): outside
scope → 404 and nothing changes, read-only → 403 and nothing changes, the right role → success;
anonymous → 401 on the API (JSON), the login page on the token pages."""

import pytest

from api.models import ApiToken
from tests import matrix as run
from tests.matrix import api as api_matrix, tokens as tokens_matrix
from tests.tasks.test_matrix import state as task_state

pytestmark = pytest.mark.django_db


def state():
    from notifications.models import InboxMessage

    return (task_state(), sorted(ApiToken.objects.values_list("pk", "revoked_at")),
            sorted(InboxMessage.objects.values_list("pk", "read_at")))


MULTIPART = ("task-evidence", "measure-progress")


def _call(client, module, route, ids):
    target = run.url(module, route, ids)
    body = run.data(route, ids)
    if route.method == "GET":
        return client.get(target, body)
    if module is api_matrix and route.name not in MULTIPART:
        return client.post(target, body, content_type="application/json")
    return client.post(target, body)


API_CASES = run.cases(api_matrix)


@pytest.mark.parametrize("route,username,expected", API_CASES, ids=[run.label(r, u) for r, u, _ in API_CASES])
def test_api_route(county, client, route, username, expected):
    ids = api_matrix.setup(county, route)
    before, audits = state(), run.audit_count("tasks.")
    client.force_login(county.users[username])
    response = _call(client, api_matrix, route, ids)
    assert response.status_code == expected, getattr(response, "content", b"")[:300]
    if expected in (403, 404):
        assert state() == before and run.audit_count("tasks.") == audits
        assert response.json()["code"] in ("forbidden", "not_found") and response.json()["message"]
    if route.method == "POST" and expected < 300 and not route.name.startswith("inbox"):
        assert state() != before and run.audit_count("tasks.") > audits  # changed, and audited
    if route.name == "inbox-read" and expected == 200:
        assert state() != before


@pytest.mark.parametrize("route", api_matrix.ROUTES, ids=[run.label(r) for r in api_matrix.ROUTES])
def test_api_anonymous_is_401(county, client, route):
    ids = api_matrix.setup(county, route)
    before = state()
    response = _call(client, api_matrix, route, ids)
    assert response.status_code == 401
    assert state() == before


TOKEN_CASES = run.cases(tokens_matrix)


@pytest.mark.parametrize("route,username,expected", TOKEN_CASES, ids=[run.label(r, u) for r, u, _ in TOKEN_CASES])
def test_token_page(county, client, route, username, expected):
    run.check_route(client, county, tokens_matrix, route, username, expected, state=state, audit_prefix="api.token_")


@pytest.mark.parametrize("route", tokens_matrix.ROUTES, ids=[run.label(r) for r in tokens_matrix.ROUTES])
def test_token_page_anonymous(county, client, route):
    run.check_anonymous(client, county, tokens_matrix, route, state=state)


def test_every_api_url_is_declared():
    from api.urls import urlpatterns
    from api.urls_pages import urlpatterns as pages

    assert {p.name for p in urlpatterns} == {r.name for r in api_matrix.ROUTES}
    assert {p.name for p in pages} == {r.name for r in tokens_matrix.ROUTES}
