"""The scope trio for every binders URL (tests/matrix/binders.py): anonymous → login;
outside scope → 404, nothing written, nothing audited; in scope but read-only → 403 on
the request; allowed → success, audited (a request, a download)."""

import io
import zipfile

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from binders.models import Binder
from tests import matrix as run
from tests.matrix import binders as matrix

pytestmark = pytest.mark.django_db

CASES = run.cases(matrix)


def state():
    return sorted(Binder.objects.values_list("pk", "status", "org_id", "year", "quarter", "subtree"))


def audits():
    return AuditEvent.objects.filter(action__startswith="binders.").count()


def test_every_url_is_declared():
    from binders.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in matrix.ROUTES}


@pytest.mark.parametrize("route,username,expected", CASES, ids=[f"{run.label(r, u)} {r.data or ''}" for r, u, _ in CASES])
def test_route(county, client, route, username, expected):
    ids = matrix.setup(county)
    before, audited = state(), audits()
    client.force_login(county.users[username])
    target = run.url(matrix, route, ids)
    response = client.post(target, route.data) if route.method == "POST" else client.get(target, route.data or {})
    assert response.status_code == expected, getattr(response, "content", b"")[:300]
    if expected in (403, 404):
        assert state() == before and audits() == audited, "a refused request changed or audited something"
        return
    if route.method == "POST":
        after = state()
        assert len(after) == len(before) + 1 and audits() == audited + 1
        new = Binder.objects.latest("pk")
        assert new.requested_by == county.users[username] and new.status == Binder.Status.QUEUED
        assert response["Location"] == reverse("binders:detail", args=[new.pk])
    elif route.name in ("pdf", "zip"):
        body = b"".join(response.streaming_content)
        assert state() == before and audits() == audited + 1
        event = AuditEvent.objects.filter(action="binders.downloaded").latest("pk")
        assert event.actor == county.users[username] and event.detail["binder"] == ids[route.kwargs["pk"]]
        if route.name == "pdf":
            assert body.startswith(b"%PDF-")
        else:
            assert "index.xlsx" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    else:
        assert state() == before and audits() == audited


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[f"{run.label(r)} {r.data or ''}" for r in matrix.ROUTES])
def test_anonymous_is_sent_to_login(county, client, route):
    ids = matrix.setup(county)
    before = state()
    target = run.url(matrix, route, ids)
    response = client.post(target, route.data) if route.method == "POST" else client.get(target, route.data or {})
    assert state() == before
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
