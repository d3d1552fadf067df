"""Measures are Tasks; progress, 销号 (submit → county verification), 回头看 once; bad input."""

from datetime import date

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent
from inspections import services
from inspections.models import Finding, Measure, Recheck
from tasks.models import Task

from .conftest import at, make_finding, make_inspection, make_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(county, leader):
    with time_machine.travel(at(2026, 5, 1, 9), tick=False):
        return make_finding(county, make_inspection(county, leader, []))


def test_measure_is_a_task_for_the_responsible_org(county, finding):
    with time_machine.travel(at(2026, 5, 2, 9), tick=False):
        m = make_measure(county, finding, org=county.v11)
    task = Task.objects.get(pk=m.task_id)
    assert (task.org, task.kind, task.source, task.review_org, task.due_date) == (
        county.v11, Task.Kind.RECTIFICATION, m, county.county, date(2026, 7, 31))
    assert task.title.startswith("【整改】") and task.status == Task.Status.PENDING
    assert AuditEvent.objects.filter(action="inspections.measure_created", object_id=str(m.pk)).exists()


def test_measure_bad_input_saves_nothing(county, finding):
    with pytest.raises(ValidationError) as e:
        services.create_measure(county.staff, finding, org=None, goal="g", action="a", deadline=date(2026, 4, 1), type="deadline")
    assert set(e.value.message_dict) == {"org", "deadline"}
    assert "2026年4月1日" in e.value.message_dict["deadline"][0]
    with pytest.raises(PermissionDenied):
        services.create_measure(county.t1_party, finding, org=county.town1, goal="g", action="a", deadline=date(2026, 8, 1), type="deadline")
    assert not Measure.objects.exists()
    assert not Task.objects.filter(kind=Task.Kind.RECTIFICATION).exists()


def _upload():
    return SimpleUploadedFile("整改台账.pdf", b"%PDF-1.4 rectification evidence", content_type="application/pdf")


def test_full_flow_progress_close_verify_and_recheck_once(county, finding):
    with time_machine.travel(at(2026, 5, 2, 9), tick=False):
        m1 = make_measure(county, finding)
        m2 = make_measure(county, finding, deadline=date(2026, 6, 30))
    with time_machine.travel(at(2026, 6, 1, 10), tick=False):
        with pytest.raises(ValidationError) as e:  # 销号 without evidence
            services.request_closure(county.t1_clerk, m1)
        assert "佐证" in e.value.messages[0]
        assert Task.objects.get(pk=m1.task_id).status == Task.Status.PENDING
        services.record_progress(county.t1_clerk, m1, note="已建立台账", uploaded=_upload())
        services.record_progress(county.t1_clerk, m2, note="已学习", uploaded=_upload())
        with pytest.raises(PermissionDenied):
            services.record_progress(county.t2_disc, m1, note="x")
        services.request_closure(county.t1_clerk, m1)
        services.request_closure(county.t1_clerk, m2)
        assert Task.objects.get(pk=m1.task_id).status == Task.Status.SUBMITTED
        with pytest.raises(PermissionDenied):  # the town cannot verify its own measure
            services.verify(county.t1_disc, m1, approve=True, comment="")
        with pytest.raises(ValidationError):  # a return needs a reason
            services.verify(county.staff, m1, approve=False, comment="")
        services.verify(county.staff, m1, approve=False, comment="佐证不充分")
        assert Task.objects.get(pk=m1.task_id).status == Task.Status.RETURNED
        services.record_progress(county.t1_clerk, m1, note="补充会议记录", uploaded=_upload())
        services.request_closure(county.t1_clerk, m1)
        services.verify(county.staff, m1, approve=True, comment="核实完成")
        assert Finding.objects.get(pk=finding.pk).status == Finding.Status.OPEN  # m2 still open
        assert not Recheck.objects.exists()
    with time_machine.travel(at(2026, 6, 3, 10), tick=False):
        services.verify(county.staff, m2, approve=True, comment="核实完成")
    f = Finding.objects.get(pk=finding.pk)
    assert (f.status, f.closed_on) == (Finding.Status.CLOSED, date(2026, 6, 3))
    recheck = Recheck.objects.get(finding=f)
    task = Task.objects.get(pk=recheck.task_id)
    assert (task.kind, task.org, task.due_date, task.review_org) == (Task.Kind.RECHECK, county.town1, date(2026, 12, 3), county.county)
    # exactly once: refreshing again (daily job) adds nothing
    assert services.refresh_finding(f) is False
    services.refresh_open_findings()
    services.schedule_recheck(f)
    assert Recheck.objects.count() == 1
    ct = ContentType.objects.get_for_model(Recheck)
    assert Task.objects.filter(source_type=ct).count() == 1


def test_verify_own_submission_is_refused(county, finding):
    """A county department's measure submitted by county staff cannot be verified by that same person."""
    with time_machine.travel(at(2026, 5, 2, 9), tick=False):
        m = make_measure(county, finding)
    Task.objects.filter(pk=m.task_id).update(status="submitted", submitted_by=county.staff)
    with pytest.raises(PermissionDenied):
        services.verify(county.staff, m, approve=True, comment="")
    assert Task.objects.get(pk=m.task_id).status == Task.Status.SUBMITTED


def test_approval_done_on_the_task_page_closes_the_finding_in_the_daily_job(county, finding):
    with time_machine.travel(at(2026, 5, 2, 9), tick=False):
        m = make_measure(county, finding)
    Task.objects.filter(pk=m.task_id).update(status="approved", approved_on=date(2026, 6, 10))
    assert services.refresh_open_findings() == 1
    assert Recheck.objects.get().due_date == date(2026, 12, 10)
    assert services.refresh_open_findings() == 0


def test_add_months_clamps_to_month_end():
    from inspections.services.measures import add_months

    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), 6) == date(2026, 7, 15)


def test_approval_event_written_elsewhere_closes_the_finding_at_once(county, finding):
    """The tasks app's review queue writes an APPROVED TaskEvent: the finding closes in the same transaction."""
    from tasks.models import TaskEvent

    with time_machine.travel(at(2026, 5, 2, 9), tick=False):
        m = make_measure(county, finding)
    Task.objects.filter(pk=m.task_id).update(status="approved", approved_on=date(2026, 6, 10))
    TaskEvent.objects.create(task_id=m.task_id, kind=TaskEvent.Kind.APPROVED, actor=county.staff)
    assert Finding.objects.get(pk=finding.pk).status == Finding.Status.CLOSED
    assert Recheck.objects.get().due_date == date(2026, 12, 10)
    TaskEvent.objects.create(task_id=m.task_id, kind=TaskEvent.Kind.APPROVED, actor=county.staff)
    assert Recheck.objects.count() == 1


def test_the_measure_pages_say_how_an_action_went_and_a_stale_form_writes_nothing(county, finding, login):
    from django.urls import reverse

    with time_machine.travel(at(2026, 5, 2, 9), tick=False):
        m = make_measure(county, finding)
    task = Task.objects.get(pk=m.task_id)
    client = login(county.t1_clerk)

    def said(response):  # the messages shown on the page the action led back to
        return [str(x) for x in response.context["messages"]]

    with time_machine.travel(at(2026, 6, 1, 10), tick=False):
        r = client.post(reverse("inspections:measure_close", args=[m.pk]), follow=True)  # 销号 without evidence
        assert len(said(r)) == 1 and "佐证" in said(r)[0]
        assert Task.objects.get(pk=task.pk).status == Task.Status.PENDING
        url = reverse("inspections:measure_progress", args=[m.pk])
        r = client.post(url, {"note": "已整改一半", "version": task.version}, follow=True)
        assert said(r) == ["整改进展已保存。"]
        r = client.post(url, {"note": "用旧页面再写一次", "version": task.version}, follow=True)  # loaded before the first
        assert said(r) == ["已被他人修改，请刷新后重试。"]
        assert Task.objects.get(pk=task.pk).note == "已整改一半"
