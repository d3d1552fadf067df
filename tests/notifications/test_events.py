"""Notices of a task's hand-overs: the next person is told once per event, recipient and channel."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import InboxMessage, Kind, Outbox, Preference, State
from notifications.services import run_sweep
from tasks import services
from tasks.models import ExtensionRequest, Task
from tests.county import today
from tests.tasks.conftest import make_task

pytestmark = pytest.mark.django_db


def rows(kind=None):
    qs = Outbox.objects.filter(key__startswith="event:")
    if kind:
        qs = qs.filter(kind=kind)
    return Counter((r.recipient.username, r.channel) for r in qs.select_related("recipient"))


@pytest.fixture
def with_email(county):
    """t1_disc (the village's reviewer) and v11_disc (the bearer) also take e-mail."""
    for name in ("t1_disc", "v11_disc"):
        user = county.users[name]
        user.email = f"{name}@example.test"
        user.save(update_fields=["email"])
    return county


def test_submit_tells_the_reviewers_once_on_each_channel(with_email, django_capture_on_commit_callbacks):
    county = with_email
    task = make_task(county.v11)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(task, county.v11_clerk, note="已开展", version=task.version)
    # the town's reviewers (its discipline secretary), on in-app and e-mail; not the town's others
    assert rows(Kind.SUBMITTED) == {("t1_disc", "inapp"): 1, ("t1_disc", "email"): 1}
    msg = InboxMessage.objects.get(user=county.t1_disc)
    assert msg.kind == Kind.SUBMITTED and msg.task_id == task.pk
    assert msg.link == reverse("tasks:detail", args=[task.pk])
    assert task.title in msg.title and "已开展" in msg.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["t1_disc@example.test"]


def test_double_submit_with_the_same_version_tells_once(county, login, django_capture_on_commit_callbacks):
    """A double click (or a retried POST) sends the same version twice: one submission, one notice."""
    task = make_task(county.v11)
    client = login(county.v11_clerk)
    form = {"note": "已开展", "version": task.version, "action": "submit"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("tasks:work", args=[task.pk]), form)
        second = client.post(reverse("tasks:work", args=[task.pk]), form)
    assert first.status_code == 302 and second.status_code in (200, 302, 400, 409)
    with pytest.raises((services.Conflict, ValidationError)):
        services.submit(Task.objects.get(pk=task.pk), county.v11_clerk, note="已开展", version=form["version"])
    assert rows(Kind.SUBMITTED) == {("t1_disc", "inapp"): 1}
    assert InboxMessage.objects.filter(user=county.t1_disc).count() == 1


def test_return_tells_the_bearer_and_the_submitter_with_the_reason(county, login, django_capture_on_commit_callbacks):
    task = make_task(county.v11)  # bearer: the discipline secretary
    client = login(county.v11_clerk)
    r = client.get(reverse("notifications:inbox"))
    assert "还没有消息" in r.content.decode()
    services.submit(task, county.v11_clerk, note="已开展", version=task.version)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_task(Task.objects.get(pk=task.pk), county.t1_disc, "缺少签字页")
    with pytest.raises(Exception):  # a second click: the task is no longer awaiting review
        services.return_task(Task.objects.get(pk=task.pk), county.t1_disc, "缺少签字页")
    assert rows(Kind.RETURNED) == {("v11_disc", "inapp"): 1, ("v11_clerk", "inapp"): 1}
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "还没有消息" not in page and "缺少签字页" in page and task.title in page
    assert "退回" in page


def test_the_whole_loop_one_notice_per_event(county, django_capture_on_commit_callbacks):
    task = make_task(county.v11, assignee=county.v11_disc)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(task, county.v11_disc, note="一", version=task.version)
        services.return_task(Task.objects.get(pk=task.pk), county.t1_disc, "补材料")
        task = Task.objects.get(pk=task.pk)
        services.submit(task, county.v11_disc, note="二", version=task.version)
        services.approve(Task.objects.get(pk=task.pk), county.t1_disc)
        services.reopen(Task.objects.get(pk=task.pk), county.staff, "抽查发现问题")
    assert rows() == {("t1_disc", "inapp"): 2, ("v11_disc", "inapp"): 3}
    kinds = Counter(InboxMessage.objects.filter(user=county.v11_disc).values_list("kind", flat=True))
    assert kinds == {Kind.RETURNED: 1, Kind.APPROVED: 1, Kind.REOPENED: 1}
    assert Outbox.objects.filter(key__startswith="event:").exclude(state=State.SENT).count() == 0


def test_extension_asked_and_decided(county, django_capture_on_commit_callbacks):
    task = make_task(county.v11)
    new_due = task.due_date + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        ext = services.request_extension(task, county.v11_clerk, "汛期抢险", new_due)
    with pytest.raises(Exception):  # the same request again: one pending request at a time
        services.request_extension(Task.objects.get(pk=task.pk), county.v11_clerk, "汛期抢险", new_due)
    assert rows(Kind.EXTENSION_ASKED) == {("t1_disc", "inapp"): 1}
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_extension(ext, county.t1_disc, grant=True)
    with pytest.raises(Exception):
        services.decide_extension(ext, county.t1_disc, grant=True)
    assert rows(Kind.EXTENSION_DECIDED) == {("v11_disc", "inapp"): 1, ("v11_clerk", "inapp"): 1}
    msg = InboxMessage.objects.get(user=county.v11_clerk, kind=Kind.EXTENSION_DECIDED)
    assert "延期" in msg.title and str(new_due.day) in msg.body
    assert ExtensionRequest.objects.get(pk=ext.pk).status == ExtensionRequest.Status.GRANTED


def test_the_actor_and_people_outside_the_org_are_not_told(county, django_capture_on_commit_callbacks):
    task = make_task(county.v11)
    services.submit(task, county.v11_disc, note="已开展", version=task.version)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(Task.objects.get(pk=task.pk), county.t1_disc)
    told = {u for u, _c in rows(Kind.APPROVED)}
    assert told == {"v11_disc"}
    assert not told & {"t1_disc", "t2_disc", "v21_disc", "t1_clerk"}


def test_event_notices_are_not_cancelled_like_reminders(county, django_capture_on_commit_callbacks):
    """A returned notice still pending when the task is resubmitted is delivered all the same."""
    task = make_task(county.v11)
    services.submit(task, county.v11_clerk, note="一", version=task.version)
    services.return_task(Task.objects.get(pk=task.pk), county.t1_disc, "补材料")  # not delivered yet
    task = Task.objects.get(pk=task.pk)
    services.submit(task, county.v11_clerk, note="二", version=task.version)
    assert not Outbox.objects.filter(kind=Kind.RETURNED).exclude(state=State.PENDING).exists()


def test_muted_reminders_do_not_mute_hand_overs(county, django_capture_on_commit_callbacks):
    Preference.objects.create(user=county.t1_disc, muted_kinds=["due_soon", "overdue", "due_today"])
    task = make_task(county.v11)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(task, county.v11_clerk, note="已开展", version=task.version)
    assert rows(Kind.SUBMITTED) == {("t1_disc", "inapp"): 1}


def test_rectification_closure_decided_tells_its_unit(county, django_capture_on_commit_callbacks):
    from tests.tasks.conftest import png

    task = make_task(county.town1, kind=Task.Kind.RECTIFICATION, review_org=county.county, bearer="")
    services.add_evidence(task, county.t1_clerk, png())
    task = Task.objects.get(pk=task.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(task, county.t1_clerk, note="已整改", version=task.version)
    assert rows(Kind.SUBMITTED) == {("staff", "inapp"): 1}  # the county verifies closures
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(Task.objects.get(pk=task.pk), county.staff, comment="同意销号")
    # the unit: its clerk (who asked) and its party secretary (no bearer: the fallback roles)
    assert rows(Kind.APPROVED) == {("t1_clerk", "inapp"): 1, ("t1_party", "inapp"): 1}
    msg = InboxMessage.objects.get(user=county.t1_party, kind=Kind.APPROVED)
    assert "销号" in msg.title and "同意销号" in msg.body


def test_document_reply_due_soon_and_overdue_reach_the_receiving_org(county, send_now):
    """A document's reply is a Task of the receiving org: the reminder sweep tells that org
    (no bearer: its clerk and party secretary) before and after the reply date, once a day."""
    from inspections.services.documents import send_document
    from inspections.models import Document
    from tests.clock import travel
    from notifications.services import deliver_due
    from django.utils import timezone

    due = today() + timedelta(days=5)
    doc = send_document(county.staff, kind=Document.REPLY_KINDS[0], title="关于落实整改的提醒函", body="请回复",
                        orgs=[county.town1], reply_due=due)
    task = Task.objects.get(pk=doc.recipients.get().task_id)
    run_sweep()
    run_sweep()
    soon = Outbox.objects.filter(task=task, kind=Kind.DUE_SOON)
    assert sorted(soon.values_list("recipient__username", flat=True)) == ["t1_clerk", "t1_party"]
    with travel(timezone.now() + timedelta(days=6), tick=True):
        run_sweep()
        overdue = Outbox.objects.filter(task=task, kind=Kind.OVERDUE)
        assert sorted(overdue.values_list("recipient__username", flat=True)) == ["t1_clerk", "t1_party"]
        deliver_due(time_budget=10)
    msg = InboxMessage.objects.filter(user=county.t1_party, kind=Kind.OVERDUE).get()
    assert msg.link == reverse("tasks:detail", args=[task.pk])
