"""Putting work on the broker without letting the broker break anything.

The outbox in the database is the source of truth: if the broker (Redis) is down,
an enqueue fails, is logged, and the next sweep after the broker is back finds the
same due rows and enqueues them again. Nothing is lost and no page fails."""

import logging
import math

from django.conf import settings


log = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> bool:
    """apply_async without publish retries; broker errors are swallowed and logged."""
    if task.app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs)  # eager (tests): errors are bugs, let them show
        return True
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
        return True
    except Exception:  # noqa: BLE001 - kombu/redis raise many types; the outbox keeps the work
        log.warning("could not enqueue %s (broker unavailable?); the outbox keeps the work", task.name, exc_info=True)
        return False


def senders_needed(due: int) -> int:
    return 0 if due <= 0 else min(settings.QINGDAN_SEND_PARALLELISM, max(1, math.ceil(due / 200)))


def enqueue_senders(due: int) -> int:
    """Start enough deliver tasks for ``due`` rows (each loops until nothing is due)."""
    from ..tasks import deliver

    started = 0
    for _ in range(senders_needed(due)):
        if not enqueue(deliver):
            break
        started += 1
    return started
