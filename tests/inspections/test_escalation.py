"""五书制 and reminders fire for a lagging measure exactly once each."""

from collections import Counter
from datetime import date

import pytest
import time_machine

from accounts.models import AuditEvent
from inspections import services
from inspections.models import EscalationDocument
from notifications.models import Outbox
from notifications.services import run_sweep

from .conftest import at, make_finding, make_inspection, make_measure

pytestmark = pytest.mark.django_db
L = EscalationDocument.Level


@pytest.fixture
def measure(county, leader):
    with time_machine.travel(at(2026, 5, 1, 9), tick=False):
        insp = make_inspection(county, leader, [])
        return make_measure(county, make_finding(county, insp), deadline=date(2026, 7, 31))


def run_twice(day):
    with time_machine.travel(at(*day, 7, 5), tick=False):
        first = services.run_escalation()
        second = services.run_escalation()
    assert second == 0
    return first


def levels(measure):
    return list(measure.escalations.order_by("level").values_list("level", flat=True))


def test_five_documents_each_once_for_a_lagging_measure(county, measure):
    assert run_twice((2026, 5, 1)) == 1 and levels(measure) == [L.NOTICE]
    assert run_twice((2026, 5, 20)) == 0  # too early to lag
    assert run_twice((2026, 6, 16)) == 1 and levels(measure) == [L.NOTICE, L.GUIDANCE]  # half the time, no progress
    assert run_twice((2026, 6, 20)) == 0
    assert run_twice((2026, 7, 24)) == 1 and levels(measure)[-1] == L.REMINDER  # 7 days before
    assert run_twice((2026, 7, 31)) == 0
    assert run_twice((2026, 8, 1)) == 1 and levels(measure)[-1] == L.WARNING
    warning = measure.escalations.get(level=L.WARNING)
    assert warning.final_deadline == date(2026, 8, 16)
    assert run_twice((2026, 8, 29)) == 0
    assert run_twice((2026, 8, 30)) == 1 and levels(measure)[-1] == L.ACCOUNTABILITY
    assert run_twice((2026, 10, 1)) == 0
    assert levels(measure) == [1, 2, 3, 4, 5]
    # each document: one audit row and one in-app notice per recipient, never twice
    assert AuditEvent.objects.filter(action="inspections.escalation_issued").count() == 5
    keys = Counter(Outbox.objects.filter(key__startswith="system:inspections:escalation:").values_list("key", flat=True))
    assert keys and set(keys.values()) == {1}
    # the town's two secretaries for levels 1-3; county staff added for 告诫书 and 问责建议
    secretaries = {county.t1_party.pk, county.t1_disc.pk}
    for doc in measure.escalations.all():
        expected = secretaries | ({county.staff.pk} if doc.level >= L.WARNING else set())
        assert set(doc.recipients) == expected
        assert set(Outbox.objects.filter(key__startswith=f"system:inspections:escalation:{doc.pk}:").values_list("recipient_id", flat=True)) == expected


def test_progress_prevents_the_guidance_letter(county, measure):
    from tasks.models import Task

    Task.objects.filter(pk=measure.task_id).update(note="已建立台账")
    run_twice((2026, 5, 1))
    run_twice((2026, 6, 20))
    assert levels(measure) == [L.NOTICE]


def test_a_closed_measure_gets_nothing(county, measure):
    from tasks.models import Task

    Task.objects.filter(pk=measure.task_id).update(status="approved")
    assert run_twice((2026, 8, 30)) == 0 and levels(measure) == []


def test_reminders_for_the_measure_task_fire_once(county, measure):
    """The measure is a Task: the notification sweep reminds it like any task, once per rule and day."""
    def rows():
        return Counter(Outbox.objects.filter(task_id=measure.task_id).values_list("kind", flat=True))

    with time_machine.travel(at(2026, 7, 26, 9), tick=False):  # 5 days before
        run_sweep()
        once = rows()
        run_sweep()
        assert rows() == once and once["due_soon"] >= 1
    with time_machine.travel(at(2026, 8, 1, 9), tick=False):  # overdue
        run_sweep()
        once = rows()
        run_sweep()
        assert rows() == once and once["overdue"] >= 1


def test_print_view_and_docx(county, measure, client):
    run_twice((2026, 8, 1))
    doc = measure.escalations.get(level=L.WARNING)
    client.force_login(county.t1_party)
    html = client.get(f"/inspections/escalations/{doc.pk}/").content.decode()
    assert "整改情况告诫书" in html and "建立三会一课台账" in html and "2026年8月16日" in html
    response = client.get(f"/inspections/escalations/{doc.pk}/docx/")
    assert response.status_code == 200
    import io

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "整改情况告诫书" in text and "建立三会一课台账" in text and doc.number in text
    client.force_login(county.t2_disc)
    assert client.get(f"/inspections/escalations/{doc.pk}/docx/").status_code == 404
