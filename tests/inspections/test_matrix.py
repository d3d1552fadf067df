"""The scope trio for every URL of the app (declared in tests/matrix/inspections.py):
anonymous → login; outside scope → 404 and nothing changes; read-only → 403 and nothing
changes; the allowed role → success (a successful write changes something and is audited)."""

import pytest
import time_machine

from inspections.models import (
    Document, DocumentRecipient, EscalationDocument, Finding, Inspection, Measure, Recheck, Round, SignOff, Talk,
)
from tasks.models import Task
from tests import matrix as run
from tests.matrix import inspections as matrix

from .conftest import at

pytestmark = pytest.mark.django_db

CASES = run.cases(matrix)


def state():
    return (
        sorted(Round.objects.values_list("pk", "name")),
        sorted(Inspection.objects.values_list("pk", "status")),
        sorted(Finding.objects.values_list("pk", "status", "description")),
        sorted(Measure.objects.values_list("pk", "action")),
        sorted(Task.objects.values_list("pk", "status", "note", "version")),
        EscalationDocument.objects.count(), Recheck.objects.count(), SignOff.objects.count(),
        sorted(Document.objects.values_list("pk", "title")), DocumentRecipient.objects.count(),
        sorted(Talk.objects.values_list("pk", "topics")),
    )


def test_every_url_is_declared():
    from inspections.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in matrix.ROUTES}


@pytest.mark.parametrize("route,username,expected", CASES, ids=[run.label(r, u) for r, u, _ in CASES])
def test_route(county, client, route, username, expected):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        run.check_route(client, county, matrix, route, username, expected, state=state,
                        audit_prefix="inspections.", audit_on_write=True)


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[run.label(r) for r in matrix.ROUTES])
def test_anonymous_is_sent_to_login(county, client, route):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        run.check_anonymous(client, county, matrix, route, state=state)
