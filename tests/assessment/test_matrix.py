"""The scope trio for every URL of the assessment app (declared in tests/matrix/assessment.py):
anonymous → login; outside scope → 404 and nothing changes; read-only → 403 and
nothing changes; county staff → success."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import AuditEvent
from assessment.models import Accountability, Adjustment, CategoryCap, RiskPoint, ScoringRule
from tests.matrix import assessment as matrix

pytestmark = pytest.mark.django_db

CASES = [(r, user, code) for r in matrix.ROUTES for user, code in r.expect.items()]
NOW = datetime(2026, 11, 23, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def _url(route, ids):
    kwargs = {k: (v[1:] if v.startswith("=") else ids[v]) for k, v in route.kwargs.items()}
    return reverse(f"{matrix.APP}:{route.name}", kwargs=kwargs)


def _data(route, ids):
    return {k: (ids[v[1:]] if isinstance(v, str) and v.startswith("@") else v) for k, v in (route.data or {}).items()}


def state():
    return (
        sorted(Adjustment.objects.values_list("pk", "org_id", "points", "is_active", "withdraw_reason")),
        sorted(ScoringRule.objects.values_list("year", "late_share", "good_from", "measure_late_deduction")),
        sorted(CategoryCap.objects.values_list("year", "category", "cap")),
        sorted(Accountability.objects.values_list("pk", "org_id", "person_id", "measure")),
        sorted(RiskPoint.objects.values_list("pk", "org_id", "post")),
    )


def test_every_url_is_declared():
    from assessment.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in matrix.ROUTES}


@pytest.mark.parametrize("route,username,expected", CASES,
                         ids=[f"{r.method} {r.name} {u}" for r, u, _ in CASES])
def test_route(county, client, route, username, expected):
    with time_machine.travel(NOW, tick=False):
        ids = matrix.setup(county)
        url = _url(route, ids)
        before = state()
        client.force_login(county.users[username])
        response = client.post(url, _data(route, ids)) if route.method == "POST" else client.get(url)
        assert response.status_code == expected, (url, getattr(response, "content", b"")[:500])
        if expected in (400, 403, 404):
            assert state() == before
            assert not AuditEvent.objects.filter(action__startswith="assessment.").exists()
        if route.method == "POST" and expected == 302:
            assert state() != before, "a successful write changes something"
            assert AuditEvent.objects.filter(action__startswith="assessment.").exists()


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[f"{r.method} {r.name}" for r in matrix.ROUTES])
def test_anonymous_is_sent_to_login(county, client, route):
    ids = matrix.setup(county)
    before = state()
    response = (client.post if route.method == "POST" else client.get)(_url(route, ids))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert state() == before
