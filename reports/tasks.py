"""Celery entry points (thin)."""

from celery import shared_task

from . import services


@shared_task(name="reports.tasks.run_export", ignore_result=True, acks_late=True)
def run_export(export_id: int) -> None:
    services.run_archive_export(export_id)
