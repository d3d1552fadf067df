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
