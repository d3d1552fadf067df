"""Run the rows of tests/matrix/workapp.py with its SETTINGS (the providers' servers are never
contacted: the rows stop before any API call)."""

import pytest

from accounts.models import AuditEvent, User
from tests import matrix as run
from tests.matrix import workapp as matrix
from workapp.models import Binding, UsedCode

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def providers_configured(settings):
    for name, value in matrix.SETTINGS.items():
        setattr(settings, name, value)


def state():
    return (
        sorted(Binding.objects.values_list("user_id", "provider", "userid")),
        UsedCode.objects.count(),
        sorted(User.objects.values_list("pk", "is_active")),
    )


def test_every_url_is_declared():
    from workapp.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in matrix.ROUTES}


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[run.label(r) for r in matrix.ROUTES])
def test_route(county, client, route):
    """Every cell of one row, one county for the row (the rows write nothing: each cell starts
    from the same state, in a browser of its own)."""
    ids = matrix.setup(county)
    target = run.url(matrix, route, ids)
    for username, expected in route.expect.items():
        client.logout()
        client.cookies.clear()
        before = state()
        refusals = AuditEvent.objects.filter(action="auth.workapp_refused", detail__reason="state").count()
        if username != "anonymous":
            client.force_login(county.users[username])
        send = client.post if route.method == "POST" else client.get
        response = send(target, run.data(route, ids))
        assert response.status_code == expected, (username, target, response.content[:300])
        assert state() == before, f"nothing is bound, spent or created by these rows ({username})"
        if route.name == "start" and expected == 302:
            signed_in = username != "anonymous"
            assert response["Location"].startswith("https://open.weixin.qq.com/") != signed_in, username
        if route.name in ("callback", "workbench") and expected == 400:
            assert "_auth_user_id" not in client.session or username != "anonymous"
            assert AuditEvent.objects.filter(action="auth.workapp_refused",
                                             detail__reason="state").count() == refusals + 1, username


@pytest.mark.parametrize("route", [r for r in matrix.ROUTES if "anonymous" not in r.expect],
                         ids=[run.label(r) for r in matrix.ROUTES if "anonymous" not in r.expect])
def test_anonymous_is_sent_to_login(county, client, route):
    run.check_anonymous(client, county, matrix, route, state=state)
