"""The scope trio for every URL (declared in tests/matrix/notifications.py): anonymous → login;
outside scope → 404 and nothing changes; read-only → 403 and nothing changes; owner → success."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from notifications.models import InboxMessage, Outbox, Preference, ReminderSettings, Webhook
from tests.matrix import notifications as matrix

pytestmark = pytest.mark.django_db

CASES = [(r, user, code) for r in matrix.ROUTES for user, code in r.expect.items()]


def _url(route, ids):
    kwargs = {k: (v[1:] if v.startswith("=") else ids[v]) for k, v in route.kwargs.items()}
    return reverse(f"{matrix.APP}:{route.name}", kwargs=kwargs)


def _data(route, ids):
    return {k: (ids[v[1:]] if isinstance(v, str) and v.startswith("@") else v) for k, v in (route.data or {}).items()}


def state():
    return (
        sorted(Webhook.objects.values_list("pk", "org_id", "kind", "url", "secret", "status", "version")),
        sorted(InboxMessage.objects.values_list("pk", "read_at")),
        sorted(Outbox.objects.values_list("pk", "state", "attempts")),
        list(ReminderSettings.objects.values_list("version", "due_soon_days", "holiday_text")),
        sorted(Preference.objects.values_list("user_id", "email_enabled", "muted_kinds")),
    )


def test_every_url_is_declared():
    from notifications.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {r.name for r in matrix.ROUTES}


@pytest.mark.parametrize("route,username,expected", CASES,
                         ids=[f"{r.method} {r.name} {'/'.join(r.kwargs.values())} {u}" for r, u, _ in CASES])
def test_route(county, client, route, username, expected):
    ids = matrix.setup(county)
    url = _url(route, ids)
    before = state()
    client.force_login(county.users[username])
    if route.method == "POST":
        response = client.post(url, _data(route, ids))
    else:
        response = client.get(url)
    assert response.status_code == expected, (url, response.content[:800])
    if expected in (403, 404):
        assert state() == before
        assert not AuditEvent.objects.filter(action__startswith="notifications.").exists()
    if route.method == "POST" and expected == 302:
        assert state() != before, "a successful write changes something"


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[f"{r.method} {r.name} {'/'.join(r.kwargs.values())}" for r in matrix.ROUTES])
def test_anonymous_is_sent_to_login(county, client, route):
    ids = matrix.setup(county)
    before = state()
    response = (client.post if route.method == "POST" else client.get)(_url(route, ids))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert state() == before
