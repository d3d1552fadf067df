"""The scope trio for every URL of the tasks app (declared in tests/matrix/tasks.py):
anonymous → login; outside scope → 404 and nothing changes; read-only → 403 on
writes and nothing changes; the right role → success."""

import pytest

from tasks.models import Evidence, ExtensionRequest, Task, TaskEvent
from tests import matrix as run
from tests.matrix import tasks as matrix

pytestmark = pytest.mark.django_db

CASES = run.cases(matrix)


def state():
    return (
        sorted(Task.objects.values_list("pk", "status", "note", "version", "due_date", "extension_count", "approved_on")),
        sorted(Evidence.objects.values_list("pk", "removed_at")),
        sorted(ExtensionRequest.objects.values_list("pk", "status")),
        TaskEvent.objects.count(),
    )


def test_every_url_is_declared():
    from tasks.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in matrix.ROUTES}


@pytest.mark.parametrize("route,username,expected", CASES, ids=[run.label(r, u) for r, u, _ in CASES])
def test_route(county, client, route, username, expected):
    run.check_route(client, county, matrix, route, username, expected, state=state, audit_prefix="tasks.")


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[run.label(r) for r in matrix.ROUTES])
def test_anonymous_is_sent_to_login(county, client, route):
    run.check_anonymous(client, county, matrix, route, state=state)
