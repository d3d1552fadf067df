"""The request id written to the audit trail: a client-supplied X-Request-ID is taken only when
it is well-formed and came through a trusted proxy (QINGDAN_TRUSTED_PROXIES, none by default)."""

import pytest

from accounts.models import AuditEvent
from tests.county import PASSWORD

pytestmark = pytest.mark.django_db

GOOD = "edge-3f9a2c71-0b4d"


def login_id(client, form_login, supplied, remote="127.0.0.1"):
    client.logout()
    response = form_login("t1_party", PASSWORD, HTTP_X_REQUEST_ID=supplied, REMOTE_ADDR=remote)
    event = AuditEvent.objects.filter(action="auth.login").latest("id")
    assert response["X-Request-ID"] == event.request_id, "the page and the audit row name the same id"
    return event.request_id


def test_a_client_cannot_choose_the_id_by_default(county, client, form_login):
    recorded = login_id(client, form_login, GOOD)
    assert recorded != GOOD and len(recorded) == 32


def test_the_trusted_proxys_well_formed_id_is_kept(county, client, form_login, settings):
    settings.QINGDAN_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert login_id(client, form_login, GOOD) == GOOD
    assert login_id(client, form_login, GOOD + "-2", remote="10.20.30.40") == GOOD + "-2"


@pytest.mark.parametrize("supplied", ["short", "x" * 65, "<script>alert(1)</script>", "a b c d e f g h", "id\r\nSet-Cookie: x", "编号编号编号编号编号", ""])
def test_a_malformed_id_is_replaced_even_from_the_proxy(county, client, form_login, settings, supplied):
    settings.QINGDAN_TRUSTED_PROXIES = ["127.0.0.1"]
    recorded = login_id(client, form_login, supplied)
    assert recorded != supplied and len(recorded) == 32


def test_a_well_formed_id_from_another_address_is_replaced(county, client, form_login, settings):
    settings.QINGDAN_TRUSTED_PROXIES = ["10.0.0.1"]
    assert login_id(client, form_login, GOOD, remote="10.0.0.2") != GOOD
