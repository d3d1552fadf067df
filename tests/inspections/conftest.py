from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Membership
from inspections import services
from inspections.models import FindingCategory, Round
from tests.county import make_user

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    """An aware datetime in Asia/Shanghai."""
    return datetime(*args, tzinfo=SH)


def restore_default_categories():
    """A transactional test flushes the migration's default finding categories: put them back."""
    import importlib

    defaults = importlib.import_module("inspections.migrations.0002_default_categories").DEFAULTS
    for i, name in enumerate(defaults, start=1):
        FindingCategory.objects.get_or_create(name=name, defaults={"seq": i})


@pytest.fixture
def inspector(county):
    """A 巡察组 member from 县委办 (outside town1): no rights on town1 by role."""
    user = make_user("inspector", "巡察组员")
    Membership.objects.create(user=user, org=county.office, role="member", start_date=date(2020, 1, 1))
    county.users["inspector"] = user
    return user


@pytest.fixture
def leader(county):
    user = make_user("xc_leader", "巡察组长")
    county.users["xc_leader"] = user
    return user


def make_inspection(county, leader, members, start=date(2026, 3, 1), end=date(2026, 4, 30), name="2026年第一轮巡察"):
    rnd = Round.objects.filter(name=name).first() or services.create_round(
        county.staff, name=name, year=start.year, kind="regular", start_date=start, end_date=end
    )
    return services.create_inspection(
        county.staff, rnd, org=county.town1, leader=leader, members=members, window_start=start, window_end=end,
        feedback_date=end,
    )


def make_finding(county, insp, found_on=date(2026, 4, 30)):
    return services.create_finding(
        county.staff, insp, category=FindingCategory.objects.get(name="党的建设"), description="三会一课落实不到位",
        source="inspection", severity="general", found_on=found_on,
    )


def make_measure(county, finding, deadline=date(2026, 7, 31), org=None):
    return services.create_measure(
        county.staff, finding, org=org or county.town1, goal="规范组织生活", action="建立三会一课台账，每月检查",
        deadline=deadline, type="deadline", leader_name="张书记", person_name="李委员",
    )
