from datetime import UTC, datetime
from decimal import Decimal

import pytest

from accounts.models import OrgUnit
from responsibilities.defaults import HOLIDAYS
from responsibilities.models import Checklist, ChecklistItem, Holiday

SH = __import__("zoneinfo").ZoneInfo("Asia/Shanghai")


def at(*args):
    """An aware datetime in Asia/Shanghai."""
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def county(county):
    """The shared county, with orgs that exist since 2020 (generation looks at creation dates)."""
    OrgUnit.objects.update(created_at=datetime(2020, 1, 1, tzinfo=UTC))
    return county


@pytest.fixture
def holidays(db):
    for year, days in HOLIDAYS.items():
        for name, day in days.items():
            Holiday.objects.get_or_create(year=year, name=name, defaults={"date": day})


ITEM_DEFAULTS = {
    "category": "collective", "frequency": "Q", "due_rule": "before_end", "due_days": 10, "due_month_day": "",
    "points": Decimal("10"), "evidence_hint": "台账", "requirement": "要求",
}


def make_list(level="village", bearer="committee", year=2026, items=None, review_by="parent", status="draft", published_at=None):
    checklist = Checklist.objects.create(
        year=year, level=level, bearer=bearer, title=f"{year} {level} {bearer}", review_by=review_by,
        status=status, published_at=published_at,
    )
    for seq, spec in enumerate(items or [{}], 1):
        ChecklistItem.objects.create(checklist=checklist, seq=seq, title=spec.pop("title", f"事项{seq}"), **{**ITEM_DEFAULTS, **spec})
    return checklist


@pytest.fixture
def make(db):
    return make_list
