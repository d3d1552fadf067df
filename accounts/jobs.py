"""Rows that track a long Celery job making a file (an archive export, a binder): how a job
claims its row, keeps it alive while it works, and what happens when its worker dies.

A model inherits ``TrackedJob`` and keeps its own ``Status`` choices with at least QUEUED,
RUNNING, DONE, FAILED and INTERRUPTED. Its Celery task is bound and acks late, and the
service it calls runs inside ``claim(...)``:

* **claim** — a message takes a QUEUED row, or a RUNNING row whose run has the message's own
  id: that run's pool process was killed (OOM, SIGKILL) and Celery handed the message out again
  (``task_reject_on_worker_lost``), so the job starts over. Any other message returns: the
  job is running elsewhere or over. A row claimed ``MAX_ATTEMPTS`` times is marked interrupted
  instead of being run again (a job that kills its worker every time does not loop).
* **lease** — while the job runs, a thread renews ``heartbeat_at`` every quarter of
  ``QINGDAN_JOB_LEASE_SECONDS``; it dies with the process.
* **sweep** — every minute (beat), a RUNNING row whose heartbeat is older than the lease has
  no living worker (the machine was lost, the whole worker killed, or the message is gone: the
  filesystem broker keeps no unacknowledged message), and a row QUEUED for longer than
  ``QUEUED_LIMIT`` has lost its message: it becomes INTERRUPTED, shown as such, and the person
  may ask again (a binder still queued would be returned instead of a new one).

A run writes its result only while the row still carries its run id (``finish``)."""

import logging
import threading
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# A queued row's message is handed out again by Redis within the visibility timeout (an hour)
# even when a worker took it and died; a row still queued after that and a binder's whole run
# has lost its message (Redis lost its data; the filesystem broker's worker died holding it).
QUEUED_LIMIT = timedelta(hours=2)


class TrackedJob(models.Model):
    """The fields every tracked job's row has; the model adds ``status`` with its ``Status``."""

    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    run_id = models.CharField(max_length=64, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def is_whole(self) -> bool:
        """Finished with its file (a model may count more statuses)."""
        return self.status == self.Status.DONE

    @property
    def can_start_again(self) -> bool:
        """The run stopped without its file (interrupted or failed): asking again makes a new one."""
        return self.status in (self.Status.INTERRUPTED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.is_whole():
            return 100
        return self.done * 100 // self.total if self.total else 0


def tracked_models() -> list[type[TrackedJob]]:
    return [m for m in apps.get_models() if issubclass(m, TrackedJob)]


def _claim(model, pk, run_id: str) -> bool:
    S = model.Status
    mine = model.objects.filter(pk=pk).filter(Q(status=S.QUEUED) | Q(status=S.RUNNING, run_id=run_id))
    now = timezone.now()
    if mine.filter(attempts__gte=MAX_ATTEMPTS).update(status=S.INTERRUPTED, finished_at=now):
        log.warning("%s %s: given up after %d attempts (each one's worker died)", model.__name__, pk, MAX_ATTEMPTS)
        return False
    return bool(mine.update(status=S.RUNNING, run_id=run_id, attempts=models.F("attempts") + 1, started_at=now,
                            heartbeat_at=now, done=0, error=""))


def _renew(model, pk, run_id: str, stop: threading.Event, every: float) -> None:
    try:
        while not stop.wait(every):
            try:
                model.objects.filter(pk=pk, run_id=run_id).update(heartbeat_at=timezone.now())
            except Exception:  # noqa: BLE001 — a missed beat is not the job's failure; the next one tries again
                log.warning("%s %s: heartbeat not written", model.__name__, pk, exc_info=True)
    finally:
        connection.close()  # this thread's own connection


@contextmanager
def claim(model, pk, run_id: str | None = None):
    """Claim row ``pk`` for this run and keep its lease while the block runs. Yields the run
    id, or None when the row is not this message's to run (the block should return). A block
    that raises leaves the row FAILED with the error, shown on the page."""
    run_id = run_id or uuid.uuid4().hex
    if not _claim(model, pk, run_id):
        yield None
        return
    stop = threading.Event()
    beat = threading.Thread(target=_renew, args=(model, pk, run_id, stop, settings.QINGDAN_JOB_LEASE_SECONDS / 4),
                            name=f"lease-{model.__name__}-{pk}", daemon=True)
    beat.start()
    try:
        yield run_id
    except Exception as exc:
        finish(model, pk, run_id, status=model.Status.FAILED, error=str(exc)[:300])
        raise
    finally:
        stop.set()
        beat.join()


def progress(model, pk, run_id: str, **fields) -> None:
    """Write the run's progress (``total``, ``done``) while the row is still this run's."""
    model.objects.filter(pk=pk, run_id=run_id).update(**fields)


def finish(model, pk, run_id: str, **fields) -> bool:
    """Write the run's outcome (``status`` and the rest) if the row is still this run's. A run
    the sweep gave up on that finishes after all still counts (its result is whole)."""
    fields.setdefault("finished_at", timezone.now())
    return bool(model.objects.filter(pk=pk, run_id=run_id).update(**fields))


def stale(model, now=None):
    """RUNNING rows whose lease ran out (rows from before the lease existed: by their age), and
    QUEUED rows no worker took within ``QUEUED_LIMIT``: their message is lost."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.QINGDAN_JOB_LEASE_SECONDS)
    S = model.Status
    return model.objects.filter(
        Q(status=S.RUNNING, heartbeat_at__lt=cutoff) | Q(status=S.RUNNING, heartbeat_at__isnull=True, created_at__lt=cutoff)
        | Q(status=S.QUEUED, created_at__lt=now - QUEUED_LIMIT))


def sweep() -> dict[str, int]:
    """Mark every tracked job whose worker is gone as interrupted. Returns counts per model."""
    now = timezone.now()
    marked = {}
    for model in tracked_models():
        n = stale(model, now).update(status=model.Status.INTERRUPTED, finished_at=now)
        if n:
            log.warning("%d %s job(s) interrupted: their worker stopped renewing the lease", n, model.__name__)
        marked[model._meta.label] = n
    return marked
