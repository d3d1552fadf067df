"""The task flow of measures, replies and re-checks goes through ``tasks.services``
(the one status machine, issue 4), imported lazily.

``_Interim`` is used ONLY while ``tasks.services`` is not importable (it was being
written at the same time as this app). It implements the five calls this app makes,
with the shared contract's semantics (optimistic version lock, TaskEvent + audit in the
same transaction). Delete it once tasks.services is committed — nothing else changes."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.scope import can


def flow():
    try:
        from tasks import services
    except ImportError:
        return _Interim
    return services


class Conflict(Exception):
    pass


class _Interim:
    Conflict = Conflict

    @staticmethod
    def _update(task, version, **fields):
        from tasks.models import Task

        v = task.version if version is None else int(version)
        if not Task.objects.filter(pk=task.pk, version=v).update(**fields, version=v + 1, updated_at=timezone.now()):
            raise Conflict(_("Someone else has changed this. Reload and try again."))

    @staticmethod
    def _event(task, kind, user, message=""):
        from tasks.models import TaskEvent

        TaskEvent.objects.create(task=task, kind=kind, actor=user, message=message)
        audit.record(f"tasks.{kind}", obj=task)

    @classmethod
    @transaction.atomic
    def save_note(cls, task, user, note, *, version):
        if not can(user, "work", task.org):
            raise PermissionDenied
        cls._update(task, version, note=note)
        cls._event(task, "note_saved", user, note)

    @classmethod
    @transaction.atomic
    def add_evidence(cls, task, user, uploaded_file):
        from tasks.models import Evidence

        if not can(user, "work", task.org):
            raise PermissionDenied
        uploaded_file.seek(0)
        digest = hashlib.sha256(uploaded_file.read()).hexdigest()
        uploaded_file.seek(0)
        ev = Evidence(task=task, original_name=uploaded_file.name[:255], size=uploaded_file.size, sha256=digest,
                      content_type=getattr(uploaded_file, "content_type", "") or "application/octet-stream", uploaded_by=user)
        ev.file.save("upload", uploaded_file, save=True)
        cls._event(task, "file_added", user, ev.original_name)
        return ev

    @classmethod
    @transaction.atomic
    def submit(cls, task, user, *, note=None, version=None):
        if not can(user, "work", task.org):
            raise PermissionDenied
        if task.status not in task.OPEN_STATUSES:
            raise ValidationError(_("Closure has not been requested for this measure."))
        fields = dict(status="submitted", completed_on=timezone.localdate(), submitted_at=timezone.now(), submitted_by=user)
        if note is not None:
            fields["note"] = note
        cls._update(task, version, **fields)
        cls._event(task, "submitted", user, note or "")

    @classmethod
    @transaction.atomic
    def approve(cls, task, user, comment=""):
        if not can(user, "review", task.review_org):
            raise PermissionDenied
        cls._update(task, None, status="approved", approved_on=timezone.localdate(), reviewed_at=timezone.now(), reviewed_by=user)
        cls._event(task, "approved", user, comment)

    @classmethod
    @transaction.atomic
    def return_task(cls, task, user, reason):
        if not can(user, "review", task.review_org):
            raise PermissionDenied
        cls._update(task, None, status="returned", return_reason=reason, reviewed_at=timezone.now(), reviewed_by=user)
        cls._event(task, "returned", user, reason)
