"""Settings of the inspections app (read with defaults; config/settings.py is not edited)."""

from django.conf import settings


def recheck_months() -> int:
    return int(getattr(settings, "QINGDAN_RECHECK_MONTHS", 6))


def remind_days() -> int:
    """提醒书: this many days (or fewer) before the deadline."""
    return int(getattr(settings, "QINGDAN_ESCALATION_REMIND_DAYS", 7))


def lag_fraction() -> float:
    """督查指导书: this share of the time has passed and no progress is recorded."""
    return float(getattr(settings, "QINGDAN_ESCALATION_LAG_FRACTION", 0.5))


def final_days() -> int:
    """告诫书: the final deadline it sets, in days after issue."""
    return int(getattr(settings, "QINGDAN_ESCALATION_FINAL_DAYS", 15))


def accountability_days() -> int:
    """问责建议: this many days overdue."""
    return int(getattr(settings, "QINGDAN_ESCALATION_ACCOUNTABILITY_DAYS", 30))


def max_upload_bytes() -> int:
    return int(getattr(settings, "QINGDAN_INSPECTIONS_MAX_UPLOAD", 20 * 1024 * 1024))
