"""A small task factory for notification tests: tasks are created directly through the ORM
(any status, any due date, no generation run), their source a ChecklistItem."""

import itertools
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType

from responsibilities.models import Checklist, ChecklistItem
from tasks.models import Task

_seq = itertools.count(1)


def checklist(year=2024, level="town", bearer="discipline"):
    obj, _ = Checklist.objects.get_or_create(
        year=year, level=level, bearer=bearer, defaults={"title": f"{year} {level} {bearer}", "status": "published"}
    )
    return obj


def make_task(org, due: date, *, status="pending", bearer="discipline", assignee=None, title=None, **extra) -> Task:
    cl = checklist(level=org.kind if org.kind in ("county", "town", "village", "department") else "town", bearer=bearer)
    n = next(_seq)
    item = ChecklistItem.objects.create(checklist=cl, seq=n, title=title or f"规定动作 {n}", category="supervisory", frequency="Q")
    start = due - timedelta(days=80)
    return Task.objects.create(
        org=org, source_type=ContentType.objects.get_for_model(ChecklistItem), source_id=item.pk,
        period_start=start, period_end=due, period_label=f"{due.year}年第{(due.month - 1) // 3 + 1}季度",
        due_date=due, original_due_date=due, title=item.title, requirement="按要求完成并上传台账",
        category="supervisory", frequency="Q", bearer=bearer, assignee=assignee,
        review_org=org.get_parent(), status=status, **extra,
    )
