import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from assessment.models import Adjustment, CategoryCap, ScoringRule
from responsibilities.models import Checklist, ChecklistItem
from tasks.models import Task

_seq = itertools.count(1)
D = Decimal


_BEARERS = itertools.cycle(("committee", "secretary", "member", "discipline"))
_LEVELS = itertools.cycle(("town", "village", "department"))


def make_list(year, *, status="published"):
    """A fresh duty list of ``year`` (level × bearer varied: they are unique per year)."""
    for _i in range(12):
        level, bearer = next(_LEVELS), next(_BEARERS)
        if not Checklist.objects.filter(year=year, level=level, bearer=bearer).exists():
            return Checklist.objects.create(year=year, level=level, bearer=bearer, title=f"{year}年清单", status=status)
    raise AssertionError("no free level × bearer")


def make_item(cl, points, *, each=None, cap=None, category="collective"):
    n = next(_seq)
    return ChecklistItem.objects.create(
        checklist=cl, seq=n, title=f"事项{n}", category=category, frequency="Y",
        points=D(points), partial_points_each=None if each is None else D(each),
        partial_points_cap=None if cap is None else D(cap),
    )


def task_for(item, org, due, *, status="pending", completed=None, approved=None, assignee=None, kind="duty", n=None):
    ct = ContentType.objects.get_for_model(ChecklistItem)
    start = date(due.year, due.month, 1)
    return Task.objects.create(
        org=org, kind=kind, source_type=ct, source_id=item.pk, period_start=start, period_end=due,
        period_label=f"{due:%Y-%m}", due_date=due, original_due_date=due, title=item.title,
        points=item.points, category=item.category, status=status, completed_on=completed,
        approved_on=approved, assignee=assignee, review_org=org.get_parent() or org,
    )


BONUS = ("experience", "cases")


def adjust(org, year, category, points, user, *, veto=False):
    kind = "bonus" if category in BONUS else "deduction"
    return Adjustment.objects.create(org=org, year=year, kind=kind, category=category, points=D(points), veto=veto,
                                     reason="测试", created_by=user)


@pytest.fixture
def scored(county):
    """The small county of tests/assessment/test_scoring.py, year 2026 (hand-computed there)."""
    c = county
    ScoringRule.objects.create(year=2026, late_share=D("0.5"), measure_late_deduction=D("2"))
    CategoryCap.objects.create(year=2026, category="experience", cap=D("10"))
    cl = make_list(2026)
    a = make_item(cl, 3)
    b = make_item(cl, 1, each=1, cap=2)
    m = make_item(cl, 2, category="one_post")
    staff = c.users["staff"]
    # town1
    task_for(a, c.town1, date(2026, 3, 31), status="approved", completed=date(2026, 3, 30), approved=date(2026, 4, 2))
    task_for(b, c.town1, date(2026, 1, 31), status="approved", completed=date(2026, 1, 20), approved=date(2026, 1, 21))
    task_for(b, c.town1, date(2026, 2, 28), status="approved", completed=date(2026, 2, 20), approved=date(2026, 2, 21))
    task_for(b, c.town1, date(2026, 3, 31))
    task_for(m, c.town1, date(2026, 6, 30), status="approved", completed=date(2026, 6, 1), approved=date(2026, 6, 2),
             assignee=c.users["t1_member"])
    task_for(m, c.town1, date(2026, 6, 30), status="approved", completed=date(2026, 7, 1), approved=date(2026, 7, 2),
             assignee=c.users["t1_party"])
    task_for(a, c.town1, date(2026, 5, 1), kind="rectification", status="approved",
             completed=date(2026, 5, 10), approved=date(2026, 5, 11))
    task_for(a, c.town1, date(2025, 12, 31), status="approved", completed=date(2025, 12, 1), approved=date(2025, 12, 2))
    task_for(a, c.town1, date(2026, 9, 30), status="cancelled")
    adjust(c.town1, 2026, "experience", 15, staff)
    adjust(c.town1, 2026, "discipline_case", 3, staff)
    # town2
    task_for(a, c.town2, date(2026, 3, 31))
    task_for(b, c.town2, date(2026, 3, 31), status="approved", completed=date(2026, 4, 5), approved=date(2026, 4, 6))
    # villages
    task_for(a, c.v11, date(2026, 3, 31), status="approved", completed=date(2026, 4, 1), approved=date(2026, 4, 3))
    task_for(a, c.v12, date(2026, 3, 31), status="approved", completed=date(2026, 3, 1), approved=date(2026, 3, 3))
    adjust(c.v12, 2026, "discipline_case", D("0.01"), staff, veto=True)
    task_for(a, c.v21, date(2026, 3, 31), status="submitted", completed=date(2026, 3, 1))
    # departments
    task_for(a, c.office, date(2026, 3, 31), status="cancelled")
    task_for(a, c.commission, date(2026, 11, 30), status="approved", completed=date(2026, 11, 1), approved=date(2027, 1, 5))
    return c
