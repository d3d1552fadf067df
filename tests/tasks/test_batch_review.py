"""Batch review from the queue: 下一项 under the queue's filters, and 通过所选 — only tasks with
evidence that the reviewer opened as they are now; anything else refuses the whole batch."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Membership
from accounts.roles import Role
from tasks import services
from tasks.models import ReviewOpening, Task, TaskEvent

from tests.county import make_user

from .conftest import jpeg, make_task, pdf

pytestmark = pytest.mark.django_db


def submitted(county, org=None, *, files=1, title="报告"):
    """A task submitted by its org's worker, with ``files`` evidence files."""
    org = org or county.v11
    worker = {county.v11: county.v11_disc, county.v21: county.v21_disc}.get(org) or _worker_of(county, org)
    t = make_task(org, title=title)
    for _ in range(files):
        services.add_evidence(t, worker, pdf())
    services.submit(t, worker, note="已完成", version=t.version)
    return t


def _worker_of(county, org):
    if "v12_disc" not in county.users:
        user = make_user("v12_disc")
        start = Membership.objects.filter(user=county.v11_disc).values_list("start_date", flat=True).first()
        Membership.objects.create(user=user, org=org, role=Role.DISCIPLINE_SECRETARY, start_date=start)
        county.users["v12_disc"] = user
    return county.users["v12_disc"]


def open_page(client, task, query=""):
    r = client.get(reverse("tasks:detail", args=[task.pk]) + query)
    assert r.status_code == 200
    return r.content.decode()


def statuses(*tasks):
    return [Task.objects.get(pk=t.pk).status for t in tasks]


def batch(client, *tasks, **extra):
    return client.post(reverse("tasks:review_batch"), {"task": [t.pk for t in tasks], **extra})


def test_approve_selected_approves_exactly_the_opened_ones(county, login):
    a, b, c = (submitted(county, title=f"事项{i}") for i in range(3))
    client = login(county.t1_disc)
    open_page(client, a)
    open_page(client, b)
    queue = client.get(reverse("tasks:review_queue")).content.decode()
    for t, enabled in ((a, True), (b, True), (c, False)):  # the queue offers the opened ones only
        box = queue.split(f'id="pick-{t.pk}"')[1].split(">")[0]
        assert ("disabled" not in box) is enabled
    audits = AuditEvent.objects.filter(action="tasks.approved").count()
    seen_versions = {t.pk: Task.objects.get(pk=t.pk).version for t in (a, b)}
    r = batch(client, a, b, comment="材料齐全")
    assert r.status_code == 302 and r["Location"] == reverse("tasks:review_queue")
    assert statuses(a, b, c) == ["approved", "approved", "submitted"]
    assert AuditEvent.objects.filter(action="tasks.approved").count() == audits + 2
    for t in (a, b):
        t.refresh_from_db()
        assert t.reviewed_by == county.t1_disc and t.approved_on is not None and t.version == seen_versions[t.pk] + 1
        assert t.events.filter(kind=TaskEvent.Kind.APPROVED, actor=county.t1_disc, message="材料齐全").exists()
        assert Task.history.filter(id=t.pk, status="approved").exists()
    assert "已通过 2 项" in client.get(r["Location"]).content.decode()


def test_an_unopened_task_refuses_the_whole_batch(county, login):
    """All or none: a reviewer who selects something not opened learns which and why, and
    nothing is approved (skipping it silently would approve a set the reviewer did not choose)."""
    a, b = submitted(county, title="已看"), submitted(county, title="未看")
    client = login(county.t1_disc)
    open_page(client, a)
    events = TaskEvent.objects.count()
    r = batch(client, a, b)
    body = r.content.decode()
    assert r.status_code == 400
    assert "未通过任何事项" in body and f"“{b}”您尚未打开查看" in body and f"“{a}”" not in body.split("未通过任何事项")[1]
    assert statuses(a, b) == ["submitted", "submitted"] and TaskEvent.objects.count() == events


def test_a_task_changed_after_opening_is_refused(county, login):
    a, b = submitted(county), submitted(county)
    client = login(county.t1_disc)
    open_page(client, a)
    open_page(client, b)
    # ``a`` goes back to the village, which resubmits it: a new version the reviewer has not seen
    services.reopen(a, county.staff, "请补充")
    services.submit(a, county.v11_disc, note="已补充", version=a.version)
    # a file is added to ``b`` while it waits: same version, a new event
    services.add_evidence(b, county.v11_disc, jpeg("补拍.jpg"))
    for t in (a, b):
        r = batch(client, t)
        assert r.status_code == 400 and "打开后又有变动" in r.content.decode()
    assert statuses(a, b) == ["submitted", "submitted"]
    open_page(client, a)  # opened again: now it may go
    assert batch(client, a).status_code == 302 and statuses(a, b) == ["approved", "submitted"]


def test_a_task_without_evidence_is_decided_alone(county, login):
    bare = submitted(county, files=0)
    client = login(county.t1_disc)
    open_page(client, bare)
    r = batch(client, bare)
    assert r.status_code == 400 and "没有台账材料" in r.content.decode() and statuses(bare) == ["submitted"]


def test_no_selection_and_already_decided(county, login):
    a = submitted(county)
    client = login(county.t1_disc)
    r = client.post(reverse("tasks:review_batch"), {})
    assert r.status_code == 400 and "请至少选择一项" in r.content.decode()
    open_page(client, a)
    services.approve(a, county.t1_disc)
    r = batch(client, a)
    assert r.status_code == 400 and "已不在待审核状态" in r.content.decode()


def test_opening_is_recorded_for_the_reviewer_only(county, login):
    a = submitted(county)
    open_page(login(county.v11_disc), a)   # the bearer
    open_page(login(county.staff), a)      # a viewer who does not review it
    assert not ReviewOpening.objects.exists()
    open_page(login(county.t1_disc), a)
    assert list(ReviewOpening.objects.values_list("reviewer", "task", "version")) == [(county.t1_disc.pk, a.pk, a.version)]
    open_page(login(county.t1_disc), a)
    assert ReviewOpening.objects.count() == 1


@pytest.mark.parametrize("who,code", [("t2_disc", 404), ("nobody", 404), ("t1_party", 403), ("v11_disc", 403)])
def test_outsider_404_read_only_403_and_nothing_changes(county, login, who, code):
    a = submitted(county)
    ReviewOpening.objects.create(reviewer=county.users[who], task=a, version=a.version,
                                 last_event=a.events.order_by("-pk").first().pk, opened_at=a.submitted_at)
    client = login(county.users[who])
    events, audits = TaskEvent.objects.count(), AuditEvent.objects.count()
    r = batch(client, a)
    assert r.status_code == code
    assert statuses(a) == ["submitted"] and TaskEvent.objects.count() == events and AuditEvent.objects.count() == audits


def test_one_foreign_task_in_the_batch_is_404(county, login):
    mine, foreign = submitted(county), submitted(county, county.v21)
    client = login(county.t1_disc)
    open_page(client, mine)
    assert batch(client, mine, foreign).status_code == 404
    assert batch(client, mine).status_code == 302  # (then the own one alone goes through)
    assert statuses(mine, foreign) == ["approved", "submitted"]


@pytest.mark.parametrize("n", [2, 12])
def test_batch_queries_bounded(county, login, django_assert_max_num_queries, n):
    tasks = [submitted(county, title=f"事项{i}") for i in range(n)]
    client = login(county.t1_disc)
    for t in tasks:
        open_page(client, t)
    with django_assert_max_num_queries(24):  # the same for 2 and 12: the notices read the people once
        r = batch(client, *tasks)
    assert r.status_code == 302 and set(statuses(*tasks)) == {"approved"}


def test_next_item_walks_the_filtered_queue(county, login):
    a = submitted(county, title="东一")
    other = submitted(county, county.v12, title="西一")
    b = submitted(county, title="东二")
    client = login(county.t1_disc)
    query = f"?from=queue&org={county.v11.pk}"
    queue = client.get(reverse("tasks:review_queue") + f"?org={county.v11.pk}").content.decode()
    assert queue.index(f'data-task="{a.pk}"') < queue.index(f'data-task="{b.pk}"') and f'data-task="{other.pk}"' not in queue
    assert f"{reverse('tasks:detail', args=[a.pk])}{query}" in queue.replace("&amp;", "&")
    page = open_page(client, a, query).replace("&amp;", "&")
    assert f'href="{reverse("tasks:detail", args=[b.pk])}{query}" class="ms-auto" id="next-item"' in page
    assert f'href="{reverse("tasks:review_queue")}?org={county.v11.pk}" id="back-to-queue"' in page
    assert 'id="queue-end"' in open_page(client, b, query)
    # deciding from the queue goes on to the next item, filters kept
    r = client.post(reverse("tasks:review", args=[a.pk]), {"decision": "return", "reason": "缺签字", "from": "queue",
                                                          "org": county.v11.pk})
    assert r.status_code == 302 and r["Location"] == reverse("tasks:detail", args=[b.pk]) + query
    r = client.post(reverse("tasks:review", args=[b.pk]), {"decision": "approve", "from": "queue", "org": county.v11.pk})
    assert r["Location"] == reverse("tasks:review_queue") + f"?org={county.v11.pk}"
    assert statuses(a, b, other) == ["returned", "approved", "submitted"]


def test_queue_filter_with_evidence_only(county, login):
    with_file, bare = submitted(county), submitted(county, files=0)
    body = login(county.t1_disc).get(reverse("tasks:review_queue") + "?files=1&org=abc").content.decode()
    assert f'data-task="{with_file.pk}"' in body and f'data-task="{bare.pk}"' not in body


def test_batch_approval_tells_each_bearer_once(county, login):
    """通过所选 tells the bearer of each approved task, as a single approval does: one notice per
    task, recipient and channel, and a retried batch (now refused) tells nobody again."""
    from notifications.models import Kind, Outbox

    a, b = submitted(county, title="甲"), submitted(county, title="乙")
    client = login(county.t1_disc)
    open_page(client, a)
    open_page(client, b)
    assert batch(client, a, b).status_code == 302
    approved = Outbox.objects.filter(kind=Kind.APPROVED)
    assert sorted(approved.values_list("task_id", "recipient__username", "channel")) == sorted(
        (t.pk, "v11_disc", "inapp") for t in (a, b))
    assert batch(client, a, b).status_code == 400  # already decided: refused, nothing told
    assert approved.count() == 2
