import io

import pytest

from accounts import demo as accounts_demo
from letters import demo
from letters.models import ResponsibilityLetter
from tasks.models import Task

pytestmark = pytest.mark.django_db


def test_demo_letters_show_every_state_and_seed_again_adds_nothing():
    accounts_demo.seed()
    out = io.StringIO()
    issued = demo.seed(out)
    assert issued > 12 and "letters:" in out.getvalue()
    tasks = Task.objects.filter(kind="letter")
    assert tasks.count() == issued
    assert {"approved", "submitted", "pending"} <= set(tasks.values_list("status", flat=True))
    assert tasks.filter(status="pending", due_date__lt="2026-11-18").exists()          # overdue ones
    assert ResponsibilityLetter.objects.filter(issued_on__isnull=True).count() == 2  # T02's drafts
    counts = (ResponsibilityLetter.objects.count(), tasks.count())
    assert demo.seed(out) == 0
    assert (ResponsibilityLetter.objects.count(), Task.objects.filter(kind="letter").count()) == counts
