"""The status machine: every rule holds, and every bad input changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from accounts.models import AuditEvent
from tasks import services
from tasks.models import Evidence, ExtensionRequest, Task, TaskEvent
from tasks.warnings import Colour, colour_of

from .conftest import jpeg, make_task, office_zip, ole, pdf, png

pytestmark = pytest.mark.django_db


def snapshot(task):
    t = Task.objects.get(pk=task.pk)
    return (t.status, t.note, t.version, t.due_date, t.completed_on, t.approved_on, t.extension_count,
            TaskEvent.objects.filter(task=t).count(), Evidence.objects.filter(task=t).count(),
            Evidence.objects.filter(task=t, removed_at__isnull=False).count(),
            AuditEvent.objects.filter(action__startswith="tasks.").count())


def kinds(task):
    return list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True))


def test_full_loop_events_audit_history(county, task):
    services.save_note(task, county.v11_disc, "草稿", version=task.version)
    assert task.version == 2 and task.note == "草稿"
    ev = services.add_evidence(task, county.v11_disc, jpeg())
    assert ev.content_type == "image/jpeg" and len(ev.sha256) == 64 and "photo" not in ev.file.name
    services.submit(task, county.v11_disc, note="已开展谈话 3 人次", version=task.version)
    assert task.status == "submitted" and task.completed_on == timezone.localdate() and task.submitted_by == county.v11_disc
    services.return_task(task, county.t1_disc, "缺少签字页")
    assert task.status == "returned" and task.return_reason == "缺少签字页" and task.completed_on is None
    services.submit(task, county.v11_disc, note="已补签字页", version=task.version)
    services.approve(task, county.t1_disc, "好")
    task.refresh_from_db()
    assert task.status == "approved" and task.approved_on == timezone.localdate()
    assert colour_of(task, timezone.localdate()) == Colour.GREEN
    assert kinds(task) == ["note_saved", "file_added", "submitted", "returned", "submitted", "approved"]
    assert AuditEvent.objects.filter(action="tasks.approved", actor=county.t1_disc, object_id=str(task.pk)).count() == 1
    assert task.history.count() == 6  # created + one per versioned change
    assert ev.history.count() == 1


def test_stale_version_is_a_conflict_and_changes_nothing(county, task):
    v = task.version
    services.save_note(task, county.v11_disc, "第一人", version=v)
    other = Task.objects.get(pk=task.pk)
    before = snapshot(task)
    with pytest.raises(services.Conflict) as e:
        services.save_note(other, county.v11_clerk, "第二人", version=v)
    assert "已被他人修改" in str(e.value.message)
    with pytest.raises(services.Conflict):
        services.submit(other, county.v11_clerk, note="x", version=v)
    with pytest.raises(services.Conflict):
        services.save_note(other, county.v11_clerk, "x", version="forged")
    assert snapshot(task) == before and Task.objects.get(pk=task.pk).note == "第一人"


def test_submit_requires_note(county, task):
    before = snapshot(task)
    with pytest.raises(ValidationError) as e:
        services.submit(task, county.v11_disc, note="   ", version=task.version)
    assert "完成情况" in str(e.value) or "简要" in str(e.value)
    assert snapshot(task) == before


def test_note_of_100000_characters(county, task):
    before = snapshot(task)
    for call in (lambda: services.save_note(task, county.v11_disc, "字" * 100_000, version=task.version),
                 lambda: services.submit(task, county.v11_disc, note="字" * 100_000, version=task.version)):
        with pytest.raises(ValidationError) as e:
            call()
        assert "100000" in str(e.value) and "5000" in str(e.value)
    assert snapshot(task) == before


def test_submitting_an_approved_task(county, task):
    services.submit(task, county.v11_disc, note="完成", version=task.version)
    services.approve(task, county.t1_disc)
    before = snapshot(task)
    for call in (lambda: services.submit(task, county.v11_disc, note="再交", version=task.version),
                 lambda: services.save_note(task, county.v11_disc, "改", version=task.version),
                 lambda: services.add_evidence(task, county.v11_disc, jpeg()),
                 lambda: services.approve(task, county.t1_disc)):
        with pytest.raises(ValidationError) as e:
            call()
        assert "已通过" in str(e.value)
    assert snapshot(task) == before


def test_approving_ones_own_submission(county):
    # a town task reviewed at the town itself: the 纪委书记 submits and must not approve it
    task = make_task(county.town1, review_org=county.town1)
    services.submit(task, county.t1_disc, note="完成", version=task.version)
    before = snapshot(task)
    with pytest.raises(PermissionDenied) as e:
        services.approve(task, county.t1_disc)
    assert "自己" in str(e.value)
    with pytest.raises(PermissionDenied):
        services.return_task(task, county.t1_disc, "x")
    assert snapshot(task) == before


def test_reviewing_outside_scope(county, task):
    services.submit(task, county.v11_disc, note="完成", version=task.version)
    before = snapshot(task)
    for user in (county.t2_disc, county.v11_party, county.t1_party, county.nobody):
        with pytest.raises(PermissionDenied):
            services.approve(task, user)
        with pytest.raises(PermissionDenied):
            services.return_task(task, user, "不行")
    assert snapshot(task) == before


def test_working_outside_scope_or_read_only(county, task):
    before = snapshot(task)
    for user in (county.t2_disc, county.v21_disc, county.t1_disc, county.staff, county.nobody):
        with pytest.raises(PermissionDenied):
            services.save_note(task, user, "x", version=task.version)
        with pytest.raises(PermissionDenied):
            services.add_evidence(task, user, jpeg())
    assert snapshot(task) == before


def test_return_requires_reason(county, task):
    services.submit(task, county.v11_disc, note="完成", version=task.version)
    before = snapshot(task)
    with pytest.raises(ValidationError) as e:
        services.return_task(task, county.t1_disc, "  ")
    assert "退回" in str(e.value)
    assert snapshot(task) == before


def test_reopen_county_staff_only(county, task):
    services.submit(task, county.v11_disc, note="完成", version=task.version)
    services.approve(task, county.t1_disc)
    before = snapshot(task)
    with pytest.raises(PermissionDenied):
        services.reopen(task, county.t1_disc, "重查")
    with pytest.raises(ValidationError):
        services.reopen(task, county.staff, "")
    assert snapshot(task) == before
    services.reopen(task, county.staff, "抽查发现材料不实")
    assert task.status == "returned" and task.approved_on is None and task.return_reason == "抽查发现材料不实"
    assert kinds(task)[-1] == "reopened"
    assert AuditEvent.objects.filter(action="tasks.reopened", actor=county.staff).exists()


@pytest.mark.parametrize("upload,expected", [
    (jpeg, "image/jpeg"), (png, "image/png"), (pdf, "application/pdf"),
    (lambda: office_zip("a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (lambda: office_zip("a.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (lambda: ole("a.doc", "WordDocument"), "application/msword"),
    (lambda: ole("a.xls", "Workbook"), "application/vnd.ms-excel"),
])
def test_allowed_content(county, task, upload, expected):
    ev = services.add_evidence(task, county.v11_disc, upload())
    assert ev.content_type == expected
    assert ev.file.name.startswith("evidence/") and "." not in ev.file.name.rsplit("/", 1)[-1]


@pytest.mark.parametrize("upload,message", [
    (lambda: SimpleUploadedFile("x.jpg", b"<html><script>alert(1)</script></html>"), "不是允许的文件类型"),
    (lambda: SimpleUploadedFile("x.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200), "不是允许的文件类型"),
    (lambda: SimpleUploadedFile("x.jpg", b""), "0 字节"),
    (lambda: office_zip("x.docx", "application/zip"), "不是允许的文件类型"),
    (lambda: ole("x.doc", "Nothing"), "不是允许的文件类型"),
])
def test_refused_content(county, task, upload, message):
    before = snapshot(task)
    with pytest.raises(ValidationError) as e:
        services.add_evidence(task, county.v11_disc, upload())
    assert message in str(e.value)
    assert snapshot(task) == before


@override_settings(EVIDENCE_MAX_BYTES=1000)
def test_oversized_file(county, task):
    before = snapshot(task)
    with pytest.raises(ValidationError) as e:
        services.add_evidence(task, county.v11_disc, jpeg(size=5000))
    assert "最多" in str(e.value) and "1000" in str(e.value)
    assert snapshot(task) == before


def test_path_and_long_filenames_never_reach_storage(county, task):
    ev = services.add_evidence(task, county.v11_disc, jpeg("../../../etc/passwd.jpg"))
    assert "/" not in ev.original_name and ".." not in ev.original_name and ev.original_name.endswith(".jpg")
    ev2 = services.add_evidence(task, county.v11_disc, jpeg("长" * 300 + ".jpg"))
    assert len(ev2.original_name) <= 120 and ev2.original_name.endswith(".jpg")
    for e in (ev, ev2):
        assert e.original_name not in e.file.name and len(e.file.name.rsplit("/", 1)[-1]) == 32


def test_remove_evidence_is_recorded_soft_delete(county, task):
    ev = services.add_evidence(task, county.v11_disc, pdf())
    services.submit(task, county.v11_disc, note="完成", version=task.version)
    services.remove_evidence(ev, county.v11_clerk, "传错了")
    ev.refresh_from_db()
    assert ev.removed_at and ev.removed_by == county.v11_clerk and ev.file.storage.exists(ev.file.name)
    assert Evidence.objects.filter(pk=ev.pk).exists()
    assert kinds(task)[-1] == "file_removed" and ev.history.count() == 2
    with pytest.raises(ValidationError):
        services.remove_evidence(ev, county.v11_clerk)
    with pytest.raises(PermissionDenied):
        services.remove_evidence(services.add_evidence(task, county.v11_disc, pdf()), county.t2_disc)


def test_extension_request_and_decision(county, task):
    due = task.due_date
    with pytest.raises(ValidationError):
        services.request_extension(task, county.v11_disc, "", due + timedelta(days=5))
    with pytest.raises(ValidationError):
        services.request_extension(task, county.v11_disc, "汛期", due)
    ext = services.request_extension(task, county.v11_disc, "汛期抢险", due + timedelta(days=10))
    with pytest.raises(ValidationError):
        services.request_extension(task, county.v11_disc, "再申请", due + timedelta(days=20))
    with pytest.raises(PermissionDenied):
        services.decide_extension(ext, county.t2_disc, True)
    services.decide_extension(ext, county.t1_disc, True)
    task.refresh_from_db()
    assert task.due_date == due + timedelta(days=10) and task.extension_count == 1 and task.original_due_date == due
    with pytest.raises(ValidationError):
        services.decide_extension(ext, county.t1_disc, False, comment="x")
    ext2 = services.request_extension(task, county.v11_disc, "还需要时间", task.due_date + timedelta(days=3))
    with pytest.raises(ValidationError):
        services.decide_extension(ext2, county.t1_disc, False)  # refusal needs a reason
    services.decide_extension(ext2, county.t1_disc, False, comment="理由不充分")
    task.refresh_from_db()
    assert task.extension_count == 1
    assert ExtensionRequest.objects.get(pk=ext2.pk).status == "refused"
    assert kinds(task) == ["ext_requested", "extended", "ext_requested", "ext_refused"]


def test_cancel_and_reassign(county, task):
    with pytest.raises(PermissionDenied):
        services.cancel(task, county.t1_disc, "撤并")
    with pytest.raises(ValidationError):
        services.reassign(task, county.v11_disc, county.t2_disc)  # not of v11
    services.reassign(task, county.v11_party, county.v11_clerk)
    assert task.assignee == county.v11_clerk
    services.cancel(task, county.staff, "村已撤并")
    assert task.status == "cancelled" and task.cancel_reason == "村已撤并"
    assert kinds(task) == ["reassigned", "cancelled"]
