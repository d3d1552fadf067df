"""Celery entry points (thin)."""

from celery import shared_task

from . import services


# A town's or the county's binders take longer than the default limits (settings: 240 / 300 s);
# the hard limit stays below the broker's visibility timeout (3600 s), so a message is never
# handed out again while its run is alive. Bound: the message's id is the run's id, so a message
# handed out again after its worker died takes the row over (accounts/jobs.py).
@shared_task(name="binders.tasks.run_binder", bind=True, ignore_result=True, acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=3000, time_limit=3300)
def run_binder(self, binder_id: int) -> None:
    services.run_binder(binder_id, self.request.id)
