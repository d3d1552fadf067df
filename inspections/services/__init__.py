"""Rules of the inspections app, as plain functions (views, commands and Celery tasks call them)."""

from .common import is_manager, issuing_org
from .documents import reply, send_document
from .escalation import run_escalation
from .findings import create_finding, import_findings, parse_findings
from .measures import (
    create_measure, record_progress, refresh_finding, refresh_open_findings, request_closure, schedule_recheck, verify,
)
from .rounds import create_inspection, create_round, sign_off, sync_team_grants, team_grants
from .talks import Coverage, get_talk, record_talk, talk_coverage, visible_talks

__all__ = [
    "Coverage", "create_finding", "create_inspection", "create_measure", "create_round", "get_talk",
    "import_findings", "is_manager", "issuing_org", "parse_findings", "record_progress", "record_talk", "refresh_finding",
    "refresh_open_findings", "reply", "request_closure", "run_escalation", "schedule_recheck", "send_document",
    "sign_off", "sync_team_grants", "talk_coverage", "team_grants", "verify", "visible_talks",
]
