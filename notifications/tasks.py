"""Celery entry points (thin). The beat runs ``sweep`` every minute (django-celery-beat,
created by ``accounts.schedule`` from ``setup.JOBS`` after migrate). Nothing here uses a countdown
or an ETA: the due time of every reminder lives in the outbox table.

Both tasks are idempotent — they may run twice, concurrently, or be redelivered after a
worker dies (acks_late + reject_on_worker_lost) — so exactly-once never depends on Celery."""

from celery import shared_task

from . import services


@shared_task(name="notifications.tasks.sweep", ignore_result=True)
def sweep() -> dict:
    """Write what is due into the outbox, then start senders for the due rows."""
    result = services.run_sweep()
    services.enqueue_senders(services.due_count())
    return {"business_date": result.business_date.isoformat(), "rows": result.total}


@shared_task(name="notifications.tasks.deliver", ignore_result=True)
def deliver() -> dict:
    """Claim and send due outbox rows until none is left (or the time budget is spent)."""
    return {str(k): v for k, v in services.deliver_due().items()}
