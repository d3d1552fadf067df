"""A rectification (整改) task cannot be submitted (销号 requested) without evidence —
through the service and through the task page; nothing is written when refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from tasks import services
from tasks.models import Evidence, Task, TaskEvent

from .conftest import jpeg, make_task, pdf

pytestmark = pytest.mark.django_db

MESSAGE = "整改任务须有佐证材料"


def state(task):
    t = Task.objects.get(pk=task.pk)
    return (t.status, t.note, t.version, t.completed_on, t.submitted_by_id, TaskEvent.objects.filter(task=t).count(),
            Evidence.objects.filter(task=t).count(), AuditEvent.objects.filter(action__startswith="tasks.").count(),
            t.history.count())


@pytest.fixture
def rect(county):
    return make_task(county.v11, kind=Task.Kind.RECTIFICATION, title="【整改】建立三会一课台账")


def test_service_refuses_rectification_without_evidence(county, rect):
    before = state(rect)
    with pytest.raises(ValidationError) as e:
        services.submit(rect, county.v11_disc, note="已整改完毕", version=rect.version)
    assert e.value.message_dict == {"files": [e.value.message_dict["files"][0]]}
    assert MESSAGE in e.value.message_dict["files"][0]
    assert state(rect) == before


def test_a_removed_file_does_not_count(county, rect):
    ev = services.add_evidence(rect, county.v11_disc, pdf())
    services.remove_evidence(ev, county.v11_disc, "传错了")
    before = state(rect)
    with pytest.raises(ValidationError) as e:
        services.submit(Task.objects.get(pk=rect.pk), county.v11_disc, note="已整改", version=rect.version)
    assert MESSAGE in e.value.messages[0]
    assert state(rect) == before


def test_with_evidence_it_submits(county, rect):
    services.add_evidence(rect, county.v11_disc, pdf())
    services.submit(rect, county.v11_disc, note="已整改", version=rect.version)
    assert Task.objects.get(pk=rect.pk).status == Task.Status.SUBMITTED


def test_a_duty_task_still_needs_no_file(county, task):
    assert task.kind == Task.Kind.DUTY
    services.submit(task, county.v11_disc, note="已开展谈话", version=task.version)
    assert Task.objects.get(pk=task.pk).status == Task.Status.SUBMITTED


def test_page_refuses_without_files_and_writes_nothing(county, client, rect):
    client.force_login(county.v11_disc)
    before = state(rect)
    r = client.post(reverse("tasks:work", args=[rect.pk]), {"note": "已整改完毕", "version": rect.version, "action": "submit"})
    assert r.status_code == 400
    assert MESSAGE in r.content.decode()
    assert state(rect) == before


def test_page_submits_with_a_photo_in_the_same_post(county, client, rect):
    client.force_login(county.v11_disc)
    r = client.post(reverse("tasks:work", args=[rect.pk]),
                    {"note": "已整改完毕", "version": rect.version, "action": "submit", "files": [jpeg("整改后.jpg")]})
    assert r.status_code == 302
    rect.refresh_from_db()
    assert rect.status == Task.Status.SUBMITTED and rect.evidence.count() == 1
