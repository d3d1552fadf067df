"""Celery entry points (thin). The beat runs ``risk_reviews`` on the 1st of every month
(created by ``accounts.schedule`` from ``setup.JOBS`` after migrate); it is idempotent, so a
redelivery or a second run creates nothing twice."""

from celery import shared_task
from django.utils import timezone

from .risk_reviews import ensure_risk_reviews


@shared_task(name="assessment.tasks.risk_reviews", ignore_result=True)
def risk_reviews() -> dict:
    """This year's 廉政风险点 review task of every org with risk points in force."""
    year = timezone.localdate().year
    return {"year": year, "created": ensure_risk_reviews(year)}
