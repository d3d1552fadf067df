from datetime import date

import pytest

import itertools

from django.contrib.contenttypes.models import ContentType

from accounts.models import OrgUnit
from tasks.models import Task
from tests.tasks.conftest import at  # noqa: F401

_seq = itertools.count(1)


def make_task(org, *, due, title="事项", **extra) -> Task:
    n = extra.pop("source_id", None) or 600000 + next(_seq)
    extra.setdefault("period_start", date(due.year, 1, 1))
    extra.setdefault("period_end", date(due.year, 12, 31))
    extra.setdefault("period_label", f"{due.year}年")
    return Task.objects.create(
        org=org, source_type=ContentType.objects.get_for_model(OrgUnit), source_id=n,
        due_date=due, original_due_date=due, title=title, bearer="discipline",
        review_org=org.get_parent() or org, **extra,
    )

AS_OF = date(2026, 9, 20)


def populate(county):
    """Tasks in every state across the small county, due in Q3 2026 (as of 2026-09-20) and around it."""
    d = date
    plan = [
        # org, due, status, completed_on, approved_on, extension_count, category
        (county.v11, d(2026, 7, 10), "approved", d(2026, 7, 8), d(2026, 7, 9), 0, "collective"),
        (county.v11, d(2026, 8, 10), "approved", d(2026, 8, 15), d(2026, 8, 16), 0, "collective"),
        (county.v11, d(2026, 9, 5), "pending", None, None, 0, "first"),
        (county.v12, d(2026, 9, 10), "submitted", d(2026, 9, 9), None, 0, "first"),
        (county.v12, d(2026, 9, 12), "returned", None, None, 1, "supervisory"),
        (county.v12, d(2026, 9, 22), "pending", None, None, 0, "supervisory"),
        (county.v12, d(2026, 9, 29), "pending", None, None, 1, "collective"),
        (county.town1, d(2026, 7, 31), "approved", d(2026, 7, 30), d(2026, 8, 2), 0, "collective"),
        (county.town1, d(2026, 8, 31), "cancelled", None, None, 0, "collective"),
        (county.town2, d(2026, 9, 15), "submitted", d(2026, 9, 18), None, 0, "first"),
        (county.v21, d(2026, 8, 20), "pending", None, None, 0, "first"),
        (county.v21, d(2026, 9, 25), "approved", d(2026, 9, 1), d(2026, 9, 2), 0, "first"),
        (county.office, d(2026, 7, 20), "approved", d(2026, 7, 19), d(2026, 7, 20), 0, "collective"),
        (county.office, d(2026, 6, 20), "approved", d(2026, 6, 19), d(2026, 6, 20), 0, "collective"),
        (county.v11, d(2026, 10, 20), "pending", None, None, 0, "collective"),
    ]
    tasks = []
    for i, (org, due, status, completed, approved, ext, _cat) in enumerate(plan):
        tasks.append(make_task(
            org, due=due, title=f"事项{i % 5}", status=status, completed_on=completed, approved_on=approved,
            extension_count=ext, category=("collective", "first", "supervisory", "collective", "one_post")[i % 5], source_id=500000 + i % 5, note=f"记录{i}" if completed else "",
            period_start=date(2026, 7, 1), period_end=date(2026, 9, 30), period_label="2026年第3季度",
        ))
    return tasks


@pytest.fixture
def populated(county):
    populate(county)
    return county
