"""The scope trio for every URL of the tasks app (declared in tests/matrix/tasks.py):
anonymous → login; outside scope → 404 and nothing changes; read-only → 403 on
writes and nothing changes; the right role → success."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from tasks.models import Evidence, ExtensionRequest, Task, TaskEvent
from tests.matrix import tasks as matrix

pytestmark = pytest.mark.django_db

CASES = [(r, user, code) for r in matrix.ROUTES for user, code in r.expect.items()]


def _ids(r):
    return f"{r.method} {r.name} {'/'.join(r.kwargs.values())} {(r.data or {}).get('action', (r.data or {}).get('decision', ''))}"


def _url(route, ids):
    kwargs = {k: (v[1:] if v.startswith("=") else ids[v]) for k, v in route.kwargs.items()}
    return reverse(f"{matrix.APP}:{route.name}", kwargs=kwargs)


def _data(route, ids):
    return {k: (ids[v[1:]] if isinstance(v, str) and v.startswith("@") else v) for k, v in (route.data or {}).items()}


def state():
    return (
        sorted(Task.objects.values_list("pk", "status", "note", "version", "due_date", "extension_count", "approved_on")),
        sorted(Evidence.objects.values_list("pk", "removed_at")),
        sorted(ExtensionRequest.objects.values_list("pk", "status")),
        TaskEvent.objects.count(),
    )


def test_every_url_is_declared():
    from tasks.urls import urlpatterns

    declared = {r.name for r in matrix.ROUTES}
    assert {p.name for p in urlpatterns} == declared


@pytest.mark.parametrize("route,username,expected", CASES, ids=[f"{_ids(r)} {u}" for r, u, _ in CASES])
def test_route(county, client, route, username, expected):
    ids = matrix.setup(county)
    url = _url(route, ids)
    before = state()
    audits = AuditEvent.objects.filter(action__startswith="tasks.").count()
    client.force_login(county.users[username])
    response = client.post(url, _data(route, ids)) if route.method == "POST" else client.get(url)
    assert response.status_code == expected, (url, getattr(response, "content", b"")[:300])
    if expected in (403, 404):
        assert state() == before
        assert AuditEvent.objects.filter(action__startswith="tasks.").count() == audits
    if route.method == "POST" and expected == 302:
        assert state() != before, "a successful write changes something"


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[_ids(r) for r in matrix.ROUTES])
def test_anonymous_is_sent_to_login(county, client, route):
    ids = matrix.setup(county)
    before = state()
    response = (client.post if route.method == "POST" else client.get)(_url(route, ids), _data(route, ids))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert state() == before
