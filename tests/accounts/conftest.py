from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.county import PASSWORD

TZ = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def form_login(client):
    """POST the real login form (axes and the login signals run) and return the response."""

    def _post(username, password=PASSWORD, follow=False, **extra):
        return client.post(reverse("accounts:login"), {"username": username, "password": password}, follow=follow, **extra)

    return _post


@pytest.fixture
def audit_purge(transactional_db):
    """Transactional tests (live_server) end with a flush of every table, which the
    append-only audit triggers refuse. PostgreSQL: switch the purge flag on for this
    connection (TRUNCATE then passes, see migration 0003). SQLite: empty the audit table
    with its delete trigger dropped and re-created around it."""
    from importlib import import_module

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SET qingdan.audit_purge = 'on'")
        yield
        return
    yield
    sql = import_module("accounts.migrations.0002_audit_append_only").SQLITE
    with connection.cursor() as c:
        c.execute("DROP TRIGGER IF EXISTS accounts_auditevent_no_delete")
        c.execute("DELETE FROM accounts_auditevent")
        c.execute(next(s for s in sql if "no_delete" in s))
