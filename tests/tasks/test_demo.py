"""The demo's year of work: a believable mix of colours, timelines that match, idempotent."""

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from responsibilities import demo as lists_demo
from tasks import demo
from tasks.models import Task, TaskEvent
from tasks.warnings import Colour, colour_of


def test_demo_work_mixes_colours_with_matching_events_and_is_idempotent(county):
    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        lists_demo.seed()
        changed = demo.seed()
        assert changed > 0
        today = date(2026, 11, 23)
        colours = Counter(colour_of(t, today) for t in Task.objects.filter(due_date__lt=today, kind="duty"))
        assert colours[Colour.GREEN] > colours[Colour.RED] > 0
        assert colours[Colour.LATE] > 0
        for task in Task.objects.filter(status="approved"):
            kinds = list(task.events.order_by("at").values_list("kind", flat=True))
            assert kinds == [TaskEvent.Kind.SUBMITTED, TaskEvent.Kind.APPROVED]
            assert task.completed_on <= task.approved_on <= today
        assert not Task.objects.filter(due_date__gte=today).exclude(status="pending").exists()
        before = sorted(Task.objects.values_list("pk", "status", "version"))
        assert demo.seed() == 0
        assert sorted(Task.objects.values_list("pk", "status", "version")) == before
