"""Celery entry points (thin)."""

from celery import shared_task

from . import services


# bound: the message's id is the run's id, so a message handed out again after its worker died
# takes the row over (accounts/jobs.py)
@shared_task(name="reports.tasks.run_export", bind=True, ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_export(self, export_id: int) -> None:
    services.run_archive_export(export_id, self.request.id)
