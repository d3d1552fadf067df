"""Notices of a task's events: the next person in the loop is told, once.

A change of a task (submitted, returned, approved, reopened, an extension asked or decided)
writes its TaskEvent and — in the same transaction, through this function — one outbox row per
recipient and channel, keyed ``event:<TaskEvent id>:<user>:<channel>``. The key is unique, so
an event is told exactly once; a second click or a retried POST is refused by the task's status
machine (stale version, wrong status, a request already pending) before it writes an event.
After the commit a sender is started; if the broker is down, the minute sweep starts one.

Who is told:

* submitted, extension asked → the reviewers of the task's review org (review reaches only the
  org where it is held, so these are the people whose queue it lands in);
* returned, approved, reopened, extension decided → the task's bearer, as reminders find it
  (its assignee, else the holders of the bearing roles, else its clerk / party secretary), and
  the person who submitted it or asked for the extension if they still work for the org.

The person who acted is not told of their own action."""

from django.db import transaction
from django.utils import timezone

from tasks.models import TaskEvent

from ..models import Kind, Outbox
from .directory import Directory
from .queue import enqueue_senders

E = TaskEvent.Kind
REVIEWERS, BEARERS = "reviewers", "bearers"
ROUTES = {
    E.SUBMITTED: (Kind.SUBMITTED, REVIEWERS),
    E.EXTENSION_REQUESTED: (Kind.EXTENSION_ASKED, REVIEWERS),
    E.RETURNED: (Kind.RETURNED, BEARERS),
    E.APPROVED: (Kind.APPROVED, BEARERS),
    E.REOPENED: (Kind.REOPENED, BEARERS),
    E.EXTENDED: (Kind.EXTENSION_DECIDED, BEARERS),
    E.EXTENSION_REFUSED: (Kind.EXTENSION_DECIDED, BEARERS),
}
TEXT_LIMIT = 1000


def event_key(event_id: int, user_id: int, channel: str) -> str:
    return f"event:{event_id}:{user_id}:{channel}"


def _recipients(directory, task, who: str, also=()) -> list[int]:
    org_id = task.review_org_id if who == REVIEWERS else task.org_id
    if org_id is None or not directory.org_active(org_id):
        return []
    if who == REVIEWERS:
        return directory.reviewers(org_id)
    users = directory.task_recipients(org_id, task.bearer, task.assignee_id)
    # the submitter / requester is told only while still a current member of the org
    users += [uid for uid in also if directory.is_member(org_id, uid) and uid not in users]
    return users


def notify_task_event(event, task, *, also=()) -> int:
    """Queue the notices of ``event`` (a TaskEvent of ``task``, just written); returns how many
    rows were offered. ``also``: user ids told besides the bearer (the submitter, the requester)."""
    return notify_task_events([(event, task, also)])


def notify_task_events(items) -> int:
    """The same for several ``(event, task, also)`` at once (a batch approval): one read of the
    people of every org concerned, one insert."""
    routed = [(event, task, also, *ROUTES[event.kind]) for event, task, also in items if event.kind in ROUTES]
    org_ids = {task.review_org_id if who == REVIEWERS else task.org_id for _e, task, _a, _k, who in routed} - {None}
    if not org_ids:
        return 0
    now = timezone.now()
    directory = Directory(timezone.localdate(now), org_ids=org_ids)
    rows = []
    for event, task, also, kind, who in routed:
        users = [uid for uid in _recipients(directory, task, who, also) if uid != event.actor_id]
        data = {
            "event": event.pk,
            "event_kind": str(event.kind),
            "by": str(event.actor) if event.actor_id else "",
            "text": (event.message or "")[:TEXT_LIMIT],
            **{k: v for k, v in (event.data or {}).items() if k in ("old_due", "new_due", "requested_due")},
        }
        rows += [
            Outbox(key=event_key(event.pk, uid, channel), kind=kind, channel=channel, task_id=task.pk,
                   task_due_date=task.due_date, business_date=timezone.localdate(now), recipient_id=uid, due_at=now,
                   data=data)
            for uid in users for channel in directory.channels_for(uid, kind)
        ]
    if not rows:
        return 0
    Outbox.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(lambda: enqueue_senders(len(rows)))
    return len(rows)
