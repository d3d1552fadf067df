"""The scope trio for every URL of the letters app (declared in tests/matrix/letters.py):
anonymous → login; outside scope → 404 and nothing changes; read-only → 403 and nothing
changes; the allowed role → success (a successful write changes something and is audited)."""

import pytest

from letters.models import ResponsibilityLetter
from notifications.models import Outbox
from tasks.models import Task
from tests import matrix as run
from tests.matrix import letters as matrix

pytestmark = pytest.mark.django_db

CASES = run.cases(matrix)


def state():
    return (
        sorted(ResponsibilityLetter.objects.values_list("pk", "title", "body", "number", "issued_on", "task_id", "version")),
        sorted(Task.objects.values_list("pk", "status", "version")),
        Outbox.objects.count(),
    )


def test_every_url_is_declared():
    from letters.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in matrix.ROUTES}


@pytest.mark.parametrize("route,username,expected", CASES, ids=[run.label(r, u) for r, u, _ in CASES])
def test_route(county, client, route, username, expected):
    response = run.check_route(client, county, matrix, route, username, expected, state=state,
                               audit_prefix="letters.", audit_on_write=True)
    if route.name == "docx" and expected == 200:
        assert response["Content-Disposition"].startswith("attachment") and response.content[:2] == b"PK"


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[run.label(r) for r in matrix.ROUTES])
def test_anonymous_is_sent_to_login(county, client, route):
    run.check_anonymous(client, county, matrix, route, state=state)
