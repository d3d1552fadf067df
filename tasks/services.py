"""The task status machine — the one place where a Task is created or changes.

Views, commands, Celery tasks, other apps (responsibilities, inspections,
assessment) and tests call this module's functions. Each change of one task:

* checks scope through ``accounts.scope`` (work at ``task.org``; review at
  ``task.review_org``; manage for county staff actions);
* updates the row under the optimistic lock (``version``) — a stale version
  raises :class:`Conflict` ("已被他人修改"), never a silent overwrite;
* writes a ``TaskEvent`` (timeline), a simple-history row and an audit row in
  the same transaction (tasks.records) — and, for a hand-over (submitted,
  returned, approved, reopened, extension asked or decided), the outbox rows
  that tell the next person (``notifications.services.notify_task_event``).

Creation (tasks.creation: each task exactly once) and changes of many tasks at
once (tasks.bulk: a list published, an item switched off or on, edited, a
holiday corrected) live in their own modules and are offered here as well, so
that callers reach every task change through ``tasks.services``.

Errors: ``Conflict``, ``django.core.exceptions.ValidationError`` and
``PermissionDenied``, each with a message from the catalog.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.dates import day
from accounts.scope import can
from notifications.services import notify_task_event, notify_task_events

from .bulk import cancel_tasks, restore_tasks, set_fields, update_tasks
from .creation import copy_tasks, create_task, create_tasks
from .evidence import check_upload
from .models import Evidence, ExtensionRequest, Task, TaskEvent
from .openings import with_seen
from .queue import live_files
from .records import event, record_many

__all__ = [  # the status machine, and creation and bulk changes offered from their modules
    "Conflict", "NEEDS_FILE", "REASON_MAX_CHARS", "save_note", "add_evidence", "remove_evidence", "submit",
    "request_extension", "approve", "approve_opened", "return_task", "reopen", "decide_extension", "cancel",
    "reassign", "create_task", "create_tasks", "copy_tasks", "cancel_tasks", "restore_tasks", "update_tasks",
]

S = Task.Status


REASON_MAX_CHARS = 1000

# kinds of task submitted only with at least one live evidence file → the message refusing it
NEEDS_FILE = {
    Task.Kind.RECTIFICATION: lambda: _("A rectification measure needs evidence: upload at least one file before submitting it."),
    Task.Kind.LETTER: lambda: _("Upload the scan of the signed responsibility letter before submitting it."),
}


class Conflict(Exception):
    """The task was changed by someone else since it was loaded (stale version)."""

    def __init__(self, message=None):
        super().__init__(message or _("Changed by someone else. Reload the page and try again."))

    @property
    def message(self):
        return self.args[0]


# --- helpers -----------------------------------------------------------------


def _require(user, action, org, message):
    if not can(user, action, org):
        raise PermissionDenied(message)


def _require_work(task, user):
    _require(user, "work", task.org, _("Only the organisation that owes this task can record work on it."))


def _require_review(task, user):
    _require(user, "review", task.review_org, _("You do not review this task."))


def _text(value, field, *, required, limit, required_message=None):
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not value:
        raise ValidationError({field: required_message or _("This field is required.")})
    if len(value) > limit:
        raise ValidationError(
            {field: _("Too long: %(length)d characters; at most %(limit)d are allowed.") % {"length": len(value), "limit": limit}}
        )
    return value


def _update(task, user, version, event_kind, **fields):
    """Optimistic-lock update of ``task``; refreshes it in place and records history."""
    v = task.version if version is None else _int_version(version)
    now = timezone.now()
    rows = Task.objects.filter(pk=task.pk, version=v).update(**fields, version=v + 1, updated_at=now)
    if rows == 0:
        raise Conflict()
    task.refresh_from_db()
    task._history_user = user
    Task.history.bulk_history_create([task], update=True, default_user=user, default_change_reason=event_kind)
    return task


def _int_version(version) -> int:
    try:
        return int(version)
    except (TypeError, ValueError):
        raise Conflict() from None


def _expect_version(task, version):
    """The optimistic lock for a change that does not rewrite the task row (an extension
    request or refusal): ``version`` (when the caller sends one) must be the task's as loaded."""
    if version is not None and _int_version(version) != task.version:
        raise Conflict()


def _status_error(task):
    return ValidationError(
        _("This task is “%(status)s” and cannot be changed that way.") % {"status": task.get_status_display()},
        code="status",
    )


# --- the bearer's side -------------------------------------------------------


@transaction.atomic
def save_note(task, user, note, *, version):
    """Save a draft of 完成情况 (the task stays open)."""
    _require_work(task, user)
    if task.status not in Task.OPEN_STATUSES:
        raise _status_error(task)
    note = _text(note, "note", required=False, limit=settings.QINGDAN_TASK_NOTE_MAX_CHARS)
    _update(task, user, version, TaskEvent.Kind.NOTE_SAVED, note=note)
    event(task, TaskEvent.Kind.NOTE_SAVED, user, note[:500])
    return task


@transaction.atomic
def add_evidence(task, user, uploaded_file):
    """Attach one 台账 file (checked by content) to an open or submitted task."""
    _require_work(task, user)
    if task.status not in (*Task.OPEN_STATUSES, S.SUBMITTED):
        raise _status_error(task)
    checked = check_upload(uploaded_file)
    ev = Evidence(
        task=task, original_name=checked.name, content_type=checked.content_type, size=checked.size,
        sha256=checked.sha256, uploaded_by=user,
    )
    ev._history_user = user
    uploaded_file.seek(0)
    ev.file.save("upload", uploaded_file, save=False)
    try:
        ev.save()
        event(task, TaskEvent.Kind.FILE_ADDED, user, checked.name, evidence=ev.pk, sha256=checked.sha256, size=checked.size)
    except Exception:
        ev.file.storage.delete(ev.file.name)
        raise
    return ev


@transaction.atomic
def remove_evidence(evidence, user, reason=""):
    """Soft delete: the file stays stored, marked removed, with who and when."""
    task = Task.objects.select_for_update().get(pk=evidence.task_id)
    _require_work(task, user)
    if task.status not in (*Task.OPEN_STATUSES, S.SUBMITTED):
        raise _status_error(task)
    reason = _text(reason, "reason", required=False, limit=REASON_MAX_CHARS)
    if not Evidence.objects.filter(pk=evidence.pk, removed_at__isnull=True).update(removed_at=timezone.now(), removed_by=user):
        raise ValidationError(_("This file has already been removed."))
    evidence.refresh_from_db()
    Evidence.history.bulk_history_create([evidence], update=True, default_user=user, default_change_reason="removed")
    event(task, TaskEvent.Kind.FILE_REMOVED, user, evidence.original_name, evidence=evidence.pk, reason=reason)
    return evidence


@transaction.atomic
def submit(task, user, *, note=None, version=None):
    """提交: the note (完成情况) is the one required field; sets completed_on = today.
    A rectification (整改) or responsibility-letter task (NEEDS_FILE) also needs at least one
    evidence file that is not removed."""
    _require_work(task, user)
    if task.status not in Task.OPEN_STATUSES:
        raise _status_error(task)
    text = _text(task.note if note is None else note, "note", required=True, limit=settings.QINGDAN_TASK_NOTE_MAX_CHARS,
                 required_message=_("Write a short note on what was done."))
    if task.kind in NEEDS_FILE and not task.evidence.filter(removed_at__isnull=True).exists():
        # 销号 of a rectification measure needs proof, a 目标责任书 its signed scan: one live file
        raise ValidationError({"files": NEEDS_FILE[task.kind]()}, code="evidence")
    _update(
        task, user, version, TaskEvent.Kind.SUBMITTED,
        status=S.SUBMITTED, note=text, completed_on=timezone.localdate(), submitted_at=timezone.now(),
        submitted_by=user, approved_on=None,
    )
    notify_task_event(event(task, TaskEvent.Kind.SUBMITTED, user, text[:500]), task)
    return task


@transaction.atomic
def request_extension(task, user, reason, new_due, *, version=None):
    """延期申请 by the bearer: a reason and a later due date; one pending request at a time.
    With ``version``, a task changed since it was loaded raises :class:`Conflict`."""
    _require_work(task, user)
    _expect_version(task, version)
    if task.status not in Task.OPEN_STATUSES:
        raise _status_error(task)
    reason = _text(reason, "reason", required=True, limit=REASON_MAX_CHARS,
                   required_message=_("Give the reason for the extension."))
    if not isinstance(new_due, date):
        raise ValidationError({"new_due": _("Enter a valid date.")})
    if new_due <= task.due_date:
        raise ValidationError({"new_due": _("The new due date must be after the current one (%(due)s).") % {"due": day(task.due_date)}})
    try:
        with transaction.atomic():
            ext = ExtensionRequest.objects.create(task=task, requested_by=user, reason=reason, requested_due=new_due)
    except IntegrityError:
        raise ValidationError(_("An extension request for this task is already waiting for a decision.")) from None
    ev = event(task, TaskEvent.Kind.EXTENSION_REQUESTED, user, reason, extension=ext.pk, requested_due=str(new_due))
    notify_task_event(ev, task)
    return ext


# --- the reviewer's side -----------------------------------------------------


def _not_own(task, user):
    if task.submitted_by_id == user.pk:
        raise PermissionDenied(_("You cannot review your own submission."))


@transaction.atomic
def approve(task, user, comment=""):
    """通过: final unless county staff reopen it; sets approved_on = today."""
    _require_review(task, user)
    _not_own(task, user)
    if task.status != S.SUBMITTED:
        raise _status_error(task)
    comment = _text(comment, "comment", required=False, limit=REASON_MAX_CHARS)
    _update(task, user, None, TaskEvent.Kind.APPROVED, **_approval(user))
    notify_task_event(event(task, TaskEvent.Kind.APPROVED, user, comment), task, also=[task.submitted_by_id])
    return task


def _approval(user) -> dict:
    return {"status": S.APPROVED, "approved_on": timezone.localdate(), "reviewed_at": timezone.now(),
            "reviewed_by": user, "return_reason": ""}


@transaction.atomic
def approve_opened(user, ids, comment="") -> int:
    """通过 of several tasks at once — all or none. Each must be awaiting ``user``'s review
    (not their own submission), have evidence, and have been opened by ``user`` as it is now
    (tasks.openings: same version, no event since). Otherwise ``ValidationError`` naming
    every task refused and why, and nothing is approved. The rows are locked while judged,
    so none changes between the check and the approval. Returns how many were approved."""
    ids = sorted(set(ids))
    if not ids:
        raise ValidationError(_("Select at least one item to approve."), code="empty")
    comment = _text(comment, "comment", required=False, limit=REASON_MAX_CHARS)
    mine = Task.objects.restrict(user, "review").filter(pk__in=ids)
    if len(list(mine.order_by("pk").select_for_update(of=("self",)).values_list("pk", flat=True))) != len(ids):
        raise PermissionDenied(_("You do not review this task."))
    refused = []
    for t in with_seen(mine, user).annotate(files=live_files()).select_related("org").order_by("pk"):
        if t.status != S.SUBMITTED:
            refused.append(_("“%(task)s” is “%(status)s”, no longer awaiting review.") % {"task": t, "status": t.get_status_display()})
        elif t.submitted_by_id == user.pk:
            refused.append(_("“%(task)s”: you cannot review your own submission.") % {"task": t})
        elif not t.files:
            refused.append(_("“%(task)s” has no evidence: open it and decide on it alone.") % {"task": t})
        elif not t.seen:
            refused.append(_("“%(task)s” was not opened, or changed after you opened it: open it again before approving.")
                           % {"task": t})
    if refused:
        raise ValidationError(refused, code="not_opened")
    n = set_fields(ids, **_approval(user))
    recorded = record_many(ids, TaskEvent.Kind.APPROVED, user, comment, batch=len(ids))
    notify_task_events([(ev, task, [task.submitted_by_id]) for ev, task in recorded])
    return n


@transaction.atomic
def return_task(task, user, reason):
    """退回 with a required reason: back to the bearer, who may resubmit."""
    _require_review(task, user)
    _not_own(task, user)
    if task.status != S.SUBMITTED:
        raise _status_error(task)
    reason = _text(reason, "reason", required=True, limit=REASON_MAX_CHARS,
                   required_message=_("Give the reason for returning it."))
    _update(task, user, None, TaskEvent.Kind.RETURNED, status=S.RETURNED, return_reason=reason, completed_on=None,
            approved_on=None, reviewed_at=timezone.now(), reviewed_by=user)
    notify_task_event(event(task, TaskEvent.Kind.RETURNED, user, reason), task, also=[task.submitted_by_id])
    return task


@transaction.atomic
def reopen(task, user, reason):
    """County staff only: reopen an approved (or submitted) task; it goes back to the bearer."""
    _require(user, "manage", task.org, _("Only county commission staff can reopen a task."))
    if task.status not in (S.APPROVED, S.SUBMITTED):
        raise _status_error(task)
    reason = _text(reason, "reason", required=True, limit=REASON_MAX_CHARS,
                   required_message=_("Give the reason for reopening it."))
    _update(task, user, None, TaskEvent.Kind.REOPENED, status=S.RETURNED, return_reason=reason, completed_on=None,
            approved_on=None, reviewed_at=timezone.now(), reviewed_by=user)
    notify_task_event(event(task, TaskEvent.Kind.REOPENED, user, reason), task, also=[task.submitted_by_id])
    return task


@transaction.atomic
def decide_extension(ext, user, grant: bool, new_due=None, comment="", *, version=None):
    """The reviewer grants (a new due date, the requested one by default) or refuses. With
    ``version``, a task changed since the reviewer loaded it raises :class:`Conflict`."""
    ext = ExtensionRequest.objects.select_for_update().get(pk=ext.pk)
    task = Task.objects.get(pk=ext.task_id)
    _require_review(task, user)
    _expect_version(task, version)
    if ext.requested_by_id == user.pk:
        raise PermissionDenied(_("You cannot decide your own extension request."))
    if ext.status != ExtensionRequest.Status.PENDING:
        raise ValidationError(_("This extension request has already been decided."))
    comment = _text(comment, "comment", required=not grant, limit=REASON_MAX_CHARS,
                    required_message=_("Give the reason for refusing."))
    now = timezone.now()
    if grant:
        new_due = new_due or ext.requested_due
        if not isinstance(new_due, date) or new_due <= task.due_date:
            raise ValidationError({"new_due": _("The new due date must be after the current one (%(due)s).") % {"due": day(task.due_date)}})
        old_due = task.due_date
        _update(task, user, version, TaskEvent.Kind.EXTENDED, due_date=new_due, extension_count=task.extension_count + 1)
        ExtensionRequest.objects.filter(pk=ext.pk).update(status=ExtensionRequest.Status.GRANTED, decided_by=user,
                                                           decided_at=now, granted_due=new_due, decision_note=comment)
        ev = event(task, TaskEvent.Kind.EXTENDED, user, comment, extension=ext.pk, old_due=str(old_due), new_due=str(new_due))
    else:
        ExtensionRequest.objects.filter(pk=ext.pk).update(status=ExtensionRequest.Status.REFUSED, decided_by=user,
                                                           decided_at=now, decision_note=comment)
        ev = event(task, TaskEvent.Kind.EXTENSION_REFUSED, user, comment, extension=ext.pk)
    notify_task_event(ev, task, also=[ext.requested_by_id])
    ext.refresh_from_db()
    return ext


# --- county staff / org management ------------------------------------------


@transaction.atomic
def cancel(task, user, reason):
    """Cancel (not counted any more); county staff only. Never a delete."""
    _require(user, "manage", task.org, _("Only county commission staff can cancel a task."))
    if task.status in (S.CANCELLED, S.APPROVED):
        raise _status_error(task)
    reason = _text(reason, "reason", required=True, limit=300, required_message=_("Give the reason for cancelling."))
    _update(task, user, None, TaskEvent.Kind.CANCELLED, status=S.CANCELLED, cancel_reason=reason)
    event(task, TaskEvent.Kind.CANCELLED, user, reason)
    return task


@transaction.atomic
def reassign(task, user, assignee):
    """Give the task to a person of its org (or to nobody: the org as a whole)."""
    if not (can(user, "manage", task.org) or can(user, "work", task.org)):
        raise PermissionDenied(_("You cannot assign this task."))
    if task.status in (S.CANCELLED, S.APPROVED):
        raise _status_error(task)
    if assignee is not None:
        from accounts.models import Membership

        if not Membership.objects.current().filter(user=assignee, org=task.org).exists():
            raise ValidationError({"assignee": _("That person does not belong to %(org)s.") % {"org": task.org}})
    old = task.assignee_id
    try:
        with transaction.atomic():
            _update(task, user, None, TaskEvent.Kind.REASSIGNED, assignee=assignee)
    except IntegrityError:
        raise ValidationError(_("That person already has this task for this period.")) from None
    event(task, TaskEvent.Kind.REASSIGNED, user, str(assignee or ""), old_assignee=old, assignee=getattr(assignee, "pk", None))
    return task
