"""The scope trio for every URL of the app (declared in tests/matrix/responsibilities.py):
anonymous → login; outside scope → 404 and nothing changes; read-only → 403 on
writes and nothing changes; county staff → success."""

import pytest
import time_machine
from django.urls import reverse

from accounts.models import AuditEvent
from responsibilities.models import Checklist, ChecklistItem, EventDispatch, Holiday, ItemOptOut
from tasks.models import Task
from tests.matrix import responsibilities as matrix

from .conftest import at

pytestmark = pytest.mark.django_db

CASES = [(r, user, code) for r in matrix.ROUTES for user, code in r.expect.items()]


def _url(route, ids):
    kwargs = {k: (v[1:] if v.startswith("=") else ids[v]) for k, v in route.kwargs.items()}
    return reverse(f"{matrix.APP}:{route.name}", kwargs=kwargs)


def _data(route, ids):
    return {k: (ids[v[1:]] if isinstance(v, str) and v.startswith("@") else v) for k, v in (route.data or {}).items()}


def state():
    return (
        sorted(Checklist.objects.values_list("pk", "title", "status", "version", "version_note")),
        sorted(ChecklistItem.objects.values_list("pk", "seq", "title", "is_active", "lock_version")),
        sorted(ItemOptOut.objects.values_list("pk", "is_active")),
        sorted(Holiday.objects.values_list("year", "name", "date")),
        sorted(Task.objects.values_list("pk", "status", "title")),
        EventDispatch.objects.count(),
    )


def test_every_url_is_declared():
    from responsibilities.urls import urlpatterns

    declared = {r.name for r in matrix.ROUTES}
    assert {p.name for p in urlpatterns} == declared


@pytest.mark.parametrize("route,username,expected", CASES, ids=[f"{r.method} {r.name} {'/'.join(r.kwargs.values())} {u}" for r, u, _ in CASES])
def test_route(county, client, route, username, expected):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        ids = matrix.setup(county)
        url = _url(route, ids)
        before = state()
        client.force_login(county.users[username])
        call = client.post if route.method == "POST" else client.get
        response = call(url, _data(route, ids)) if route.method == "POST" else call(url)
        assert response.status_code == expected, (url, getattr(response, "content", b"")[:500])
        if expected in (403, 404):
            assert state() == before
            assert not AuditEvent.objects.filter(action__startswith="responsibilities.").exists()
        if route.method == "POST" and expected == 302 and route.name not in ("load_defaults",):
            assert state() != before, "a successful write changes something"


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[f"{r.method} {r.name} {'/'.join(r.kwargs.values())}" for r in matrix.ROUTES])
def test_anonymous_is_sent_to_login(county, client, route):
    ids = matrix.setup(county)
    before = state()
    response = (client.post if route.method == "POST" else client.get)(_url(route, ids))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert state() == before
