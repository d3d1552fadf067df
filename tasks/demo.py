"""Demo data of the tasks app: a believable year of work on the demo county.

Without it every past task of the demo would be red. For the duty tasks already
due, a deterministic share (by task id, so running it again changes nothing) is
approved on time, approved late, awaiting review, returned, or left overdue —
roughly what a county sees — with the matching timeline events. Tasks someone
already touched (any event) are left alone. Demo only: real work goes through
tasks.services.
"""

from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role

from .models import Task, TaskEvent

NOTES = (
    "已按要求完成，会议记录和照片已归档。",
    "已组织专题学习，签到表、记录已上传。",
    "已开展谈话提醒，谈话记录已存档。",
    "已完成自查，问题清单和整改情况已报送。",
)
RETURN_REASON = "台账材料不全，请补充会议记录或现场照片后重新提交。"


def _bucket(pk: int) -> int:
    return (pk * 7919) % 100  # spread consecutive ids across buckets, stable across runs


@contextmanager
def _event_times_settable():
    field = TaskEvent._meta.get_field("at")
    saved = field.auto_now_add
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = saved


def _people(today):
    """org id → a worker's user id, and org id → a reviewer's user id."""
    workers, reviewers = {}, {}
    rows = Membership.objects.current(today).values_list("org_id", "user_id", "role").order_by("pk")
    for org_id, user_id, role in rows:
        workers.setdefault(org_id, user_id)
        if role in (Role.DISCIPLINE_SECRETARY, Role.COMMISSION_STAFF):
            reviewers.setdefault(org_id, user_id)
    return workers, reviewers


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _plan(task, today):
    """The fields a demo outcome sets on one task, or None to leave it overdue."""
    b = _bucket(task.pk)
    recent = task.due_date >= today - timedelta(days=45)
    if b >= 92:
        return None
    if b >= 88 and recent:
        return {"status": Task.Status.RETURNED}
    if b >= 80 and recent:
        done = max(task.period_start, task.due_date - timedelta(days=1))
        return {"status": Task.Status.SUBMITTED, "completed_on": min(done, today)}
    if b >= 70:
        done = min(task.due_date + timedelta(days=1 + task.pk % 9), today)
    else:
        done = max(task.period_start, task.due_date - timedelta(days=task.pk % 4))
    return {"status": Task.Status.APPROVED, "completed_on": done,
            "approved_on": min(done + timedelta(days=2), today)}


@transaction.atomic
def seed(stdout=None) -> int:
    today = timezone.localdate()
    workers, reviewers = _people(today)
    candidates = (
        Task.objects.filter(kind=Task.Kind.DUTY, status=Task.Status.PENDING, due_date__lt=today, events__isnull=True)
        .only("pk", "org_id", "review_org_id", "due_date", "period_start", "assignee_id")
    )
    changed, events = [], []
    for task in candidates.iterator(chunk_size=2000):
        plan = _plan(task, today)
        worker = task.assignee_id or workers.get(task.org_id)
        reviewer = reviewers.get(task.review_org_id)
        if plan is None or worker is None or reviewer is None:
            continue
        status = plan["status"]
        task.status = status
        task.version = 2
        if status == Task.Status.RETURNED:
            task.return_reason = RETURN_REASON
            task.reviewed_by_id, task.reviewed_at = reviewer, _at(today - timedelta(days=1), 16)
            events.append(TaskEvent(task=task, kind=TaskEvent.Kind.SUBMITTED, actor_id=worker,
                                    at=_at(min(task.due_date, today - timedelta(days=1)), 10), message=NOTES[0]))
            events.append(TaskEvent(task=task, kind=TaskEvent.Kind.RETURNED, actor_id=reviewer,
                                    at=task.reviewed_at, message=RETURN_REASON))
            changed.append(task)
            continue
        task.completed_on = plan["completed_on"]
        task.note = NOTES[task.pk % len(NOTES)]
        task.submitted_by_id, task.submitted_at = worker, _at(task.completed_on, 10)
        events.append(TaskEvent(task=task, kind=TaskEvent.Kind.SUBMITTED, actor_id=worker,
                                at=task.submitted_at, message=task.note))
        if status == Task.Status.APPROVED:
            task.approved_on = plan["approved_on"]
            task.reviewed_by_id, task.reviewed_at = reviewer, _at(task.approved_on, 15)
            events.append(TaskEvent(task=task, kind=TaskEvent.Kind.APPROVED, actor_id=reviewer, at=task.reviewed_at))
        changed.append(task)
    Task.objects.bulk_update(
        changed,
        ["status", "version", "note", "completed_on", "submitted_by", "submitted_at", "approved_on",
         "reviewed_by", "reviewed_at", "return_reason"],
        batch_size=1000,
    )
    with _event_times_settable():
        TaskEvent.objects.bulk_create(events, batch_size=2000)
    if stdout is not None:
        stdout.write(f"tasks: demo work recorded on {len(changed)} past tasks.")
    return len(changed)
