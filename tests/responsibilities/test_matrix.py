"""The scope trio for every URL of the app (declared in tests/matrix/responsibilities.py):
anonymous → login; outside scope → 404 and nothing changes; read-only → 403 on
writes and nothing changes; county staff → success."""

import pytest
import time_machine

from responsibilities.models import Checklist, ChecklistItem, EventDispatch, Holiday, ItemOptOut
from tasks.models import Task
from tests import matrix as run
from tests.matrix import responsibilities as matrix

from .conftest import at

pytestmark = pytest.mark.django_db

CASES = run.cases(matrix)


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

    assert {p.name for p in urlpatterns} == {r.name for r in matrix.ROUTES}


@pytest.mark.parametrize("route,username,expected", CASES, ids=[run.label(r, u) for r, u, _ in CASES])
def test_route(county, client, route, username, expected):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        run.check_route(client, county, matrix, route, username, expected, state=state,
                        audit_prefix="responsibilities.", write_changes=route.name != "load_defaults")


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[run.label(r) for r in matrix.ROUTES])
def test_anonymous_is_sent_to_login(county, client, route):
    run.check_anonymous(client, county, matrix, route, state=state)
