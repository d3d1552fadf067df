"""The scope trio for every URL of the app (declared in tests/matrix/inspections.py):
anonymous → login; outside scope → 404 and nothing changes; read-only → 403 and nothing
changes; the allowed role → success (and a successful write changes something)."""

import pytest
import time_machine
from django.urls import reverse

from accounts.models import AuditEvent
from inspections.models import (
    Document, DocumentRecipient, EscalationDocument, Finding, Inspection, Measure, Recheck, Round, SignOff, Talk,
)
from tasks.models import Task
from tests.matrix import inspections as matrix

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


@pytest.mark.parametrize("route,username,expected", CASES, ids=[f"{r.method} {r.name} {u}" for r, u, _ in CASES])
def test_route(county, client, route, username, expected):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        ids = matrix.setup(county)
        url = _url(route, ids)
        before = state()
        audit_before = AuditEvent.objects.filter(action__startswith="inspections.").count()
        client.force_login(county.users[username])
        if route.method == "POST":
            response = client.post(url, _data(route, ids))
        else:
            response = client.get(url)
        assert response.status_code == expected, (url, getattr(response, "content", b"")[:400])
        if expected in (403, 404):
            assert state() == before
            assert AuditEvent.objects.filter(action__startswith="inspections.").count() == audit_before
        if route.method == "POST" and expected == 302:
            assert state() != before, "a successful write changes something"
            assert AuditEvent.objects.filter(action__startswith="inspections.").count() > audit_before


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[f"{r.method} {r.name}" for r in matrix.ROUTES])
def test_anonymous_is_sent_to_login(county, client, route):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        ids = matrix.setup(county)
        before = state()
        response = (client.post if route.method == "POST" else client.get)(_url(route, ids))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert state() == before
