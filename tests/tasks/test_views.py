"""The pages of the work flow through the test client: the loop, bad input, conflicts, downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accounts.models import AuditEvent
from tasks import services
from tasks.models import Evidence, Task, TaskEvent

from .conftest import jpeg, make_task, pdf

pytestmark = pytest.mark.django_db


def state(task):
    t = Task.objects.get(pk=task.pk)
    return (t.status, t.note, t.version, Evidence.objects.filter(task=t).count(), TaskEvent.objects.filter(task=t).count())


def test_mine_groups_by_colour_and_links_to_the_task(county, login):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    red = make_task(county.v11, due=today - timedelta(days=3), title="逾期事项")
    yellow = make_task(county.v11, due=today + timedelta(days=2), title="临期事项")
    blue = make_task(county.v11, due=today + timedelta(days=30), title="正常事项")
    member_item = make_task(county.v11, title="一岗双责", bearer="member", assignee=county.v11_party)
    other = make_task(county.v21, title="外村事项")
    body = login(county.v11_disc).get(reverse("tasks:mine")).content.decode()
    for colour, t in (("red", red), ("yellow", yellow), ("blue", blue)):
        section = body.split(f'id="group-{colour}"')[1].split("</section>")[0]
        assert reverse("tasks:detail", args=[t.pk]) in section
    assert body.index('id="group-red"') < body.index('id="group-yellow"') < body.index('id="group-blue"')
    assert other.title not in body and member_item.title not in body  # not this person's
    assert member_item.title in login(county.v11_party).get(reverse("tasks:mine")).content.decode()


def test_full_loop_through_pages(county, client, task):
    client.force_login(county.v11_disc)
    r = client.post(reverse("tasks:work", args=[task.pk]),
                    {"note": "已开展谈话", "version": task.version, "action": "submit", "files": [jpeg("现场.jpg"), pdf()]})
    assert r.status_code == 302 and r["Location"] == reverse("tasks:mine")
    task.refresh_from_db()
    assert task.status == "submitted" and task.evidence.count() == 2
    client.force_login(county.t1_disc)
    queue = client.get(reverse("tasks:review_queue")).content.decode()
    assert reverse("tasks:detail", args=[task.pk]) in queue
    r = client.post(reverse("tasks:review", args=[task.pk]), {"decision": "return", "reason": ""})
    assert r.status_code == 400 and "请填写退回原因" in r.content.decode()
    r = client.post(reverse("tasks:review", args=[task.pk]), {"decision": "return", "reason": "缺签字"})
    assert r.status_code == 302
    client.force_login(county.v11_disc)
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "缺签字" in page and 'id="work-form"' in page
    task.refresh_from_db()
    client.post(reverse("tasks:work", args=[task.pk]), {"note": "已补签字", "version": task.version, "action": "submit"})
    client.force_login(county.t1_disc)
    assert client.post(reverse("tasks:review", args=[task.pk]), {"decision": "approve"}).status_code == 302
    task.refresh_from_db()
    assert task.status == "approved"
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    for kind in ("submitted", "returned", "approved", "file_added"):
        assert f"event-{kind}" in page


def test_draft_keeps_task_open(county, login, task):
    c = login(county.v11_clerk)
    r = c.post(reverse("tasks:work", args=[task.pk]), {"note": "先存一下", "version": task.version, "action": "draft"})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.status == "pending" and task.note == "先存一下"


def test_conflict_is_409_with_reload_link(county, client, task):
    v = task.version
    services.save_note(task, county.v11_clerk, "别人先改了", version=v)
    client.force_login(county.v11_disc)
    before = state(task)
    r = client.post(reverse("tasks:work", args=[task.pk]), {"note": "我的内容", "version": v, "action": "submit"})
    body = r.content.decode()
    assert r.status_code == 409 and "已被他人修改" in body and reverse("tasks:detail", args=[task.pk]) in body
    assert "我的内容" in body
    assert state(task) == before


@pytest.mark.parametrize("files,note,message", [
    ([SimpleUploadedFile("x.jpg", b"<html><body>hi</body></html>")], "好", "不是允许的文件类型"),
    ([SimpleUploadedFile("a.jpg", b"MZ\x90\x00" + b"\x00" * 64)], "好", "不是允许的文件类型"),
    ([SimpleUploadedFile("empty.jpg", b"")], "好", "空文件"),
    ([], "字" * 100_000, "最多 5000 字"),
    ([], "", "请简要填写完成情况"),
    ([jpeg(), SimpleUploadedFile("x.jpg", b"<html>")], "好", "不是允许的文件类型"),  # all or nothing
])
def test_bad_input_on_the_page(county, client, task, files, note, message):
    client.force_login(county.v11_disc)
    before = state(task)
    r = client.post(reverse("tasks:work", args=[task.pk]), {"note": note, "version": task.version, "action": "submit", "files": files})
    assert r.status_code == 400 and message in r.content.decode()
    assert state(task) == before


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_oversized_on_the_page(county, client, task):
    client.force_login(county.v11_disc)
    before = state(task)
    r = client.post(reverse("tasks:work", args=[task.pk]), {"note": "x", "version": task.version, "action": "draft",
                                                            "files": [jpeg(size=4096)]})
    assert r.status_code == 400 and "单个文件最多 1.0\xa0KB" in r.content.decode()
    assert state(task) == before


def test_forged_and_outside_ids(county, login, task):
    c = login(county.v11_disc)
    for url in (reverse("tasks:detail", args=[999999]), reverse("tasks:evidence_download", args=[999999])):
        assert c.get(url).status_code == 404
    services.submit(task, county.v11_disc, note="完成", version=task.version)
    before = state(task)
    c = login(county.t2_disc)
    assert c.post(reverse("tasks:review", args=[task.pk]), {"decision": "approve"}).status_code == 404
    c = login(county.v11_party)
    assert c.post(reverse("tasks:review", args=[task.pk]), {"decision": "approve"}).status_code == 403
    assert state(task) == before


def test_approved_task_cannot_be_submitted_via_page(county, login, task):
    services.submit(task, county.v11_disc, note="完成", version=task.version)
    services.approve(task, county.t1_disc)
    before = state(task)
    r = login(county.v11_disc).post(reverse("tasks:work", args=[task.pk]), {"note": "再来", "version": task.version, "action": "submit"})
    assert r.status_code == 400 and "已通过" in r.content.decode()
    assert state(task) == before


def test_download_checks_scope_hash_and_is_audited(county, login, task):
    ev = services.add_evidence(task, county.v11_disc, pdf("报告.pdf"))
    r = login(county.t1_party).get(reverse("tasks:evidence_download", args=[ev.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert "attachment" in r["Content-Disposition"] and r["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="tasks.evidence_downloaded", actor=county.t1_party).count() == 1
    assert login(county.t2_disc).get(reverse("tasks:evidence_download", args=[ev.pk])).status_code == 404
    with open(ev.file.path, "ab") as f:  # tampered on disk
        f.write(b"tampered")
    r = login(county.v11_disc).get(reverse("tasks:evidence_download", args=[ev.pk]))
    assert r.status_code == 500 and "不一致" in r.content.decode()
    assert AuditEvent.objects.filter(action="tasks.evidence_integrity_failed", result="failure").count() == 1


def test_removed_file_is_hidden_but_kept(county, login, task):
    ev = services.add_evidence(task, county.v11_disc, pdf())
    c = login(county.v11_disc)
    assert c.post(reverse("tasks:evidence_remove", args=[ev.pk]), {"reason": "传错"}).status_code == 302
    assert c.get(reverse("tasks:evidence_download", args=[ev.pk])).status_code == 404
    assert login(county.staff).get(reverse("tasks:evidence_download", args=[ev.pk])).status_code == 200
    assert Evidence.objects.get(pk=ev.pk).removed_at is not None


def test_extension_via_pages(county, client, task):
    from datetime import timedelta

    client.force_login(county.v11_disc)
    new_due = task.due_date + timedelta(days=7)
    assert client.post(reverse("tasks:extension_request", args=[task.pk]), {"reason": "汛期", "new_due": new_due}).status_code == 302
    ext = task.extension_requests.get()
    client.force_login(county.t1_disc)
    assert reverse("tasks:detail", args=[task.pk]) in client.get(reverse("tasks:review_queue")).content.decode()
    assert client.post(reverse("tasks:extension_decide", args=[ext.pk]), {"grant": "1", "new_due": new_due}).status_code == 302
    task.refresh_from_db()
    assert task.due_date == new_due and task.extension_count == 1


def test_progress_by_org_and_item(county, login):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    make_task(county.v11, due=today - timedelta(days=1), title="逾期")
    make_task(county.v12, due=today - timedelta(days=2), title="正常")
    make_task(county.v21, due=today - timedelta(days=1), title="外镇")
    body = login(county.t1_party).get(reverse("tasks:progress"), {"year": today.year}).content.decode()
    assert "东村" in body and "西村" in body and "南村" not in body and "外镇" not in body
    assert login(county.t1_party).get(reverse("tasks:progress"), {"org": county.v21.pk}).status_code == 404


def test_role_views_of_my_tasks(county, login):
    """纪委书记: their 规定动作 + a link to the review queue; party secretary: the committee's and
    secretary's items; clerk: everything of the org; member: only what is assigned to them."""
    disc = make_task(county.town1, title="纪委规定动作", bearer="discipline")
    sec = make_task(county.town1, title="书记第一责任", bearer="secretary")
    member = make_task(county.town1, title="分管领域一岗双责", bearer="member", assignee=county.t1_member)
    submitted = make_task(county.v11)
    services.submit(submitted, county.v11_disc, note="完成", version=submitted.version)

    def titles(user):
        body = login(user).get(reverse("tasks:mine")).content.decode()
        return {t.title for t in (disc, sec, member) if t.title in body}, body

    seen, body = titles(county.t1_disc)
    assert seen == {disc.title} and 'id="review-link"' in body
    seen, body = titles(county.t1_party)
    assert seen == {sec.title} and 'id="review-link"' not in body
    assert titles(county.t1_clerk)[0] == {disc.title, sec.title}
    assert titles(county.t1_member)[0] == {member.title}
    assert titles(county.staff)[0] == set()


def test_review_queue_lists_extension_requests_beside_submitted_work(county, client):
    """The queue's rows tell whether any extension request waits (no query when none): both cases."""
    from datetime import timedelta

    done = make_task(county.v11, title="已提交的事项")
    services.submit(done, county.v11_disc, note="已完成", version=done.version)
    client.force_login(county.t1_disc)
    body = client.get(reverse("tasks:review_queue")).content.decode()
    assert reverse("tasks:detail", args=[done.pk]) in body and "延期申请" not in body
    asking = make_task(county.v11, title="要延期的事项")
    services.request_extension(asking, county.v11_disc, "汛期", asking.due_date + timedelta(days=7))
    body = client.get(reverse("tasks:review_queue")).content.decode()
    assert reverse("tasks:detail", args=[done.pk]) in body
    assert "延期申请" in body and reverse("tasks:detail", args=[asking.pk]) + "#extensions" in body
    client.force_login(county.t2_disc)  # another town's reviewer sees neither
    body = client.get(reverse("tasks:review_queue")).content.decode()
    assert "延期申请" not in body and reverse("tasks:detail", args=[asking.pk]) not in body
