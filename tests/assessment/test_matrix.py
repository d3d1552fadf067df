"""The scope trio for every URL of the assessment app (declared in tests/matrix/assessment.py):
anonymous → login; outside scope → 404 and nothing changes; read-only → 403 and
nothing changes; county staff → success, audited."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from assessment.models import Accountability, Adjustment, CategoryCap, RiskPoint, ScoringRule
from tests import matrix as run
from tests.matrix import assessment as matrix

pytestmark = pytest.mark.django_db

CASES = run.cases(matrix)
NOW = datetime(2026, 11, 23, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


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


@pytest.mark.parametrize("route,username,expected", CASES, ids=[run.label(r, u) for r, u, _ in CASES])
def test_route(county, client, route, username, expected):
    with time_machine.travel(NOW, tick=False):
        run.check_route(client, county, matrix, route, username, expected, state=state,
                        audit_prefix="assessment.", audit_on_write=True)


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[run.label(r) for r in matrix.ROUTES])
def test_anonymous_is_sent_to_login(county, client, route):
    run.check_anonymous(client, county, matrix, route, state=state)
