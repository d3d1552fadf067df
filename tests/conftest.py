import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from tests.county import build_county  # noqa: E402


@pytest.fixture
def county(db):
    """The standard small county with a user for every role (see tests/county.py)."""
    return build_county()


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
