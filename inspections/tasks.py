"""Celery entry points (thin). The beat runs ``daily`` once a day (see setup.py); every
step is idempotent, so a re-run or two beats write nothing twice."""

from celery import shared_task

from . import services


@shared_task(name="inspections.tasks.daily", ignore_result=True)
def daily() -> dict:
    added, removed = services.sync_team_grants()
    closed = services.refresh_open_findings()
    issued = services.run_escalation()
    return {"grants_added": added, "grants_removed": removed, "findings_closed": closed, "escalations": issued}
