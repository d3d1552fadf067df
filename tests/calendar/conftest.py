"""The instants where calendars break, in Beijing time (see tests/clock.py).

UTC is eight hours behind: 31 December 23:30 in Beijing is 15:30 the same day in UTC, and
1 January 00:30 in Beijing is still 31 December (16:30) in UTC. A business date taken from
UTC instead of ``timezone.localdate()`` gives the wrong year at the second instant."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from accounts.models import OrgUnit
from tests.clock import at

DEC_20 = at(2026, 12, 20, 10)
NYE_2330 = at(2026, 12, 31, 23, 30)   # UTC 2026-12-31 15:30
NY_0030 = at(2027, 1, 1, 0, 30)       # UTC 2026-12-31 16:30
JAN_2 = at(2027, 1, 2, 9)
LEAP_DAY = at(2028, 2, 29, 10)
MONDAY_W53 = at(2026, 12, 28, 9)      # ISO 2026-W53 (2026 has 53 ISO weeks)
MONDAY_W01 = at(2027, 1, 4, 9)        # ISO 2027-W01 (Friday 1 January 2027 is still in 2026-W53)


@pytest.fixture
def county(county):
    """The shared county with orgs that exist since 2020 (generation starts an org's duties
    from its creation date)."""
    OrgUnit.objects.update(created_at=datetime(2020, 1, 1, tzinfo=UTC))
    return county


def fresh_password(*users):
    """Passwords set at the suite's frozen instant are older than the password age limit a year
    later: renew them at the current (travelled) instant so pages are not redirected."""
    from accounts.models import User

    User.objects.filter(pk__in=[u.pk for u in users]).update(password_changed_at=timezone.now())
