"""The scope trio for every reports URL and for tasks:list (tests/matrix/reports.py,
tests/matrix/tasks_list.py): anonymous → login; outside scope → 404 and nothing
changes; allowed → 200 and only what the scope reaches."""

import re

import pytest
import time_machine
from django.urls import reverse

from accounts.models import AuditEvent
from tasks.models import Task
from tests import matrix as run
from tests.matrix import reports as matrix
from tests.matrix import tasks_list

from .conftest import at

pytestmark = pytest.mark.django_db

CASES = [(m, r, user, code) for m in (matrix, tasks_list) for r in m.ROUTES for user, code in r.expect.items()]


def state():
    from reports.models import Export

    return sorted(Task.objects.values_list("pk", "status", "version", "due_date")), Export.objects.count()


def test_every_url_is_declared():
    from reports.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in matrix.ROUTES}
    from tasks.urls_list import urlpatterns as list_patterns

    assert {p.name for p in list_patterns} == {r.name for r in tasks_list.ROUTES}


@pytest.mark.parametrize("module,route,username,expected", CASES,
                         ids=[f"{m.APP}:{r.method} {r.name} {r.data or ''} {u}" for m, r, u, _ in CASES])
def test_route(county, client, module, route, username, expected):
    with time_machine.travel(at(2026, 9, 20, 9), tick=False):
        ids = module.setup(county)
        audits = AuditEvent.objects.filter(action__startswith="reports.").count()
        before = state()
        client.force_login(county.users[username])
        call = client.post if route.method == "POST" else client.get
        response = call(run.url(module, route, ids), route.data or {})
        assert response.status_code == expected, getattr(response, "content", b"")[:300]
        if route.method == "POST" and expected == 302:
            assert state()[1] == before[1] + 1
        else:
            assert state() == before
        if expected in (403, 404):
            assert AuditEvent.objects.filter(action__startswith="reports.").count() == audits
        if module is tasks_list and route.data and route.data.get("org") == "T1":
            count = int(re.search(r'data-count="(\d+)"', response.content.decode()).group(1))
            visible = tasks_list.VISIBLE_T1[username]
            if visible is True:
                assert count == 6
            elif visible == "village":
                assert 0 < count < 6
            else:
                assert count == 0
        if module is matrix and route.name == "archive_download" and expected == 200:
            from openpyxl import load_workbook
            import io

            rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(min_row=2, values_only=True))
            assert rows and all(r[0].startswith("T1") for r in rows)
        if module is matrix and route.name == "quarterly" and expected == 200:
            assert AuditEvent.objects.filter(action="reports.exported").count() == audits + 1
            assert AuditEvent.objects.filter(action="reports.exported").latest("pk").actor == county.users[username]


@pytest.mark.parametrize("module,route", [(m, r) for m in (matrix, tasks_list) for r in m.ROUTES],
                         ids=[f"{m.APP}:{r.method} {r.name} {r.data or ''}" for m in (matrix, tasks_list) for r in m.ROUTES])
def test_anonymous_is_sent_to_login(county, client, module, route):
    ids = module.setup(county)
    before = state()
    response = (client.post if route.method == "POST" else client.get)(run.url(module, route, ids), route.data or {})
    assert state() == before
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
