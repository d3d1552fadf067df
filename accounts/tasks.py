"""Celery entry points of accounts (thin: the rules live in services/audit)."""

from celery import shared_task


@shared_task(name="accounts.daily_housekeeping")
def daily_housekeeping() -> dict:
    """Grants in step with membership windows, expired sessions gone, old audit rows purged,
    files kept for a form shown again that nobody came back for deleted."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from . import kept_uploads
    from .audit import purge
    from .services import sync_all_grants

    added, removed = sync_all_grants()
    sessions, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return {"grants_added": added, "grants_removed": removed, "sessions_cleared": sessions, "audit_purged": purge(),
            "kept_uploads_purged": kept_uploads.purge()}


@shared_task(name="accounts.sweep_jobs", ignore_result=True)
def sweep_jobs() -> dict:
    """Exports and binders whose worker stopped renewing their lease become interrupted."""
    from . import jobs

    return jobs.sweep()
