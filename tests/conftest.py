import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from tests.clock import ENV as CLOCK_ENV  # noqa: E402
from tests.clock import FROZEN, offset_from_real, travel  # noqa: E402
from tests.county import build_county  # noqa: E402


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch):
    """Every test starts at tests.clock.FROZEN whatever the machine's date; the clock ticks
    from there (live servers, workers and browsers need time to pass). Processes a test starts
    inherit the instant through the environment."""
    with travel(FROZEN, tick=True):
        monkeypatch.setenv(CLOCK_ENV, repr(offset_from_real()))
        yield


@pytest.fixture
def county(db):
    """The standard small county with a user for every role (see tests/county.py)."""
    return build_county()


@pytest.fixture
def client():
    """pytest-django's client, whose force_login also completes the second factor through
    django-otp (tests/twofactor.py); ``force_login(user, second_factor=False)`` stops after the
    password."""
    from tests.twofactor import SecondFactorClient

    return SecondFactorClient()


@pytest.fixture
def login(client):
    """login(user) → the test client signed in as that user (force_login: axes needs a request)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("QINGDAN_CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def require_services() -> bool:
    """Under `make test` a missing PostgreSQL/Redis/chromium is a failure, not a skip."""
    return os.environ.get("QINGDAN_REQUIRE_SERVICES") == "1"


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


@pytest.fixture(autouse=True)
def _server_sign_in_policy():
    """Every test starts with the server's sign-in policy, not one an earlier test saved (a process
    keeps the policy it read for a minute: accounts.policy)."""
    from accounts import policy

    policy.assume(policy.server_defaults())
    yield


@pytest.fixture(autouse=True)
def _audit_purge_for_transactional_tests(request):
    """Every transactional test (live_server, transactional_db) gets ``audit_purge``, so the
    end-of-test flush passes the append-only audit triggers on SQLite and PostgreSQL."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback"))
    if transactional or {"live_server", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("audit_purge")
    yield


@pytest.fixture(scope="session", autouse=True)
def _live_server_media_handler():
    """settings.MEDIA_URL is None on purpose (evidence is served only through an
    authorising view), but Django's live server wraps the site in a media-files
    handler that needs a URL prefix and crashes on None. Give that handler a prefix
    nothing uses; the settings stay as they are."""
    from django.conf import settings
    from django.test import testcases

    original = testcases._MediaFilesHandler.get_base_url
    testcases._MediaFilesHandler.get_base_url = lambda self: settings.MEDIA_URL or "/__no_media__/"
    yield
    testcases._MediaFilesHandler.get_base_url = original
