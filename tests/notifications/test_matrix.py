"""The scope trio for every URL (declared in tests/matrix/notifications.py): anonymous → login;
outside scope → 404 and nothing changes; read-only → 403 and nothing changes; owner → success."""

import pytest

from notifications.models import InboxMessage, Outbox, Preference, ReminderSettings, Webhook
from tests import matrix as run
from tests.matrix import notifications as matrix

pytestmark = pytest.mark.django_db

CASES = run.cases(matrix)


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


@pytest.mark.parametrize("route,username,expected", CASES, ids=[run.label(r, u) for r, u, _ in CASES])
def test_route(county, client, route, username, expected):
    run.check_route(client, county, matrix, route, username, expected, state=state, audit_prefix="notifications.")


@pytest.mark.parametrize("route", matrix.ROUTES, ids=[run.label(r) for r in matrix.ROUTES])
def test_anonymous_is_sent_to_login(county, client, route):
    run.check_anonymous(client, county, matrix, route, state=state)
