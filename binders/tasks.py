"""Celery entry points (thin)."""

from celery import shared_task

from . import services


# a town's or the county's binders take longer than the default limits (settings: 240 / 300 s)
@shared_task(name="binders.tasks.run_binder", ignore_result=True, acks_late=True, soft_time_limit=3300, time_limit=3600)
def run_binder(binder_id: int) -> None:
    services.run_binder(binder_id)
