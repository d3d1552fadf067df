"""What each audit action code means, in words (the audit viewer and its export show these,
never the codes). The codes are written by every app through accounts.audit.record; this
catalogue only names them (tests/accounts/test_audit_viewer.py checks it names every code
the source writes). An unknown code is shown as it is."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    # sign-in and the administrators
    "auth.login": _("Signed in"),
    "auth.logout": _("Signed out"),
    "auth.login_failed": _("Sign-in failed"),
    "auth.locked_out": _("Account locked after failed sign-ins"),
    "auth.unlocked": _("Account unlocked"),
    "auth.failures_cleared": _("Failed sign-ins cleared"),
    "auth.password_changed": _("Password changed"),
    "auth.break_glass": _("Break-glass account request"),
    "audit.purged": _("Old audit records purged"),
    "audit.viewed": _("Audit trail viewed"),
    "audit.exported": _("Audit trail exported"),
    "backup.started": _("Backup made"),
    "backup.restored": _("Backup restored"),
    "crypto.keys_rotated": _("Encryption keys rotated"),
    # accounts, organisations, memberships
    "user.created": _("Account created"),
    "user.changed": _("Account changed"),
    "org.created": _("Organisation created"),
    "org.changed": _("Organisation changed"),
    "org.moved": _("Organisation moved"),
    "org.tree_built": _("Organisation tree built"),
    "membership.created": _("Role assigned"),
    "membership.changed": _("Role assignment changed"),
    "membership.deleted": _("Role assignment deleted"),
    "grant.added": _("Access granted"),
    "grant.removed": _("Access withdrawn"),
    "accounts.orgs_imported": _("Organisations imported"),
    "accounts.accounts_imported": _("Accounts imported"),
    # API tokens
    "api.token_created": _("API token created"),
    "api.token_revoked": _("API token revoked"),
    "api.token_used": _("API token used"),
    "api.token_refused": _("API token refused"),
    # duty lists
    "responsibilities.defaults_loaded": _("Default duty lists loaded"),
    "responsibilities.event_dispatched": _("Event-driven item dispatched"),
    "responsibilities.holidays_saved": _("Holiday calendar saved"),
    "responsibilities.item_activated": _("Duty item activated"),
    "responsibilities.item_deactivated": _("Duty item deactivated"),
    "responsibilities.item_created": _("Duty item created"),
    "responsibilities.item_edited": _("Duty item edited"),
    "responsibilities.item_moved": _("Duty item moved"),
    "responsibilities.list_archived": _("Duty list archived"),
    "responsibilities.list_created": _("Duty list created"),
    "responsibilities.list_edited": _("Duty list edited"),
    "responsibilities.list_exported": _("Duty list exported"),
    "responsibilities.list_imported": _("Duty list imported"),
    "responsibilities.list_published": _("Duty list published"),
    "responsibilities.optout_added": _("Duty item waived for an organisation"),
    "responsibilities.optout_ended": _("Duty item waiver ended"),
    "responsibilities.year_copied": _("Duty lists copied to a new year"),
    # tasks
    "tasks.created": _("Task created"),
    "tasks.note_saved": _("Task note saved"),
    "tasks.file_added": _("Evidence file added"),
    "tasks.file_removed": _("Evidence file removed"),
    "tasks.submitted": _("Task submitted for review"),
    "tasks.returned": _("Task returned"),
    "tasks.approved": _("Task approved"),
    "tasks.reopened": _("Task reopened"),
    "tasks.ext_requested": _("Extension requested"),
    "tasks.extended": _("Extension granted"),
    "tasks.ext_refused": _("Extension refused"),
    "tasks.cancelled": _("Task cancelled"),
    "tasks.reassigned": _("Task reassigned"),
    "tasks.updated": _("Task updated"),
    "tasks.evidence_downloaded": _("Evidence file downloaded"),
    "tasks.evidence_viewed": _("Evidence file viewed"),
    "tasks.evidence_integrity_failed": _("Evidence file failed its integrity check"),
    "tasks.list_exported": _("Task list exported"),
    # inspections
    "inspections.round_created": _("Inspection round created"),
    "inspections.inspection_created": _("Inspection created"),
    "inspections.finding_created": _("Finding recorded"),
    "inspections.findings_imported": _("Findings imported"),
    "inspections.finding_closed": _("Finding closed"),
    "inspections.closure_requested": _("Closure requested"),
    "inspections.signed_off": _("Rectification signed off"),
    "inspections.measure_created": _("Rectification measure created"),
    "inspections.measure_approved": _("Rectification measure approved"),
    "inspections.measure_verified": _("Rectification measure verified"),
    "inspections.progress_recorded": _("Rectification progress recorded"),
    "inspections.recheck_scheduled": _("Follow-up check scheduled"),
    "inspections.escalation_issued": _("Escalation document issued"),
    "inspections.document_sent": _("Document sent"),
    "inspections.document_replied": _("Document answered"),
    "inspections.ledger_exported": _("Rectification ledger exported"),
    "inspections.talk_recorded": _("Talk recorded"),
    "inspections.talk_viewed": _("Talk record viewed"),
    "inspections.talk_file_downloaded": _("Talk record file downloaded"),
    # notifications
    "notifications.outbox_retried": _("Message sent again"),
    "notifications.preferences_changed": _("Notification preferences changed"),
    "notifications.settings_changed": _("Reminder settings changed"),
    "notifications.webhook_created": _("Group robot added"),
    "notifications.webhook_changed": _("Group robot changed"),
    "notifications.webhook_tested": _("Group robot tested"),
    "notifications.webhook_active": _("Group robot enabled"),
    "notifications.webhook_disabled": _("Group robot disabled"),
    "notifications.webhook_removed": _("Group robot removed"),
    "notifications.workapp_disabled": _("Work-app messages switched off"),
    # work apps
    "auth.workapp_refused": _("Sign-in from a work app refused"),
    "workapp.bound": _("Work-app account bound"),
    "workapp.secret_changed": _("Work-app secret changed"),
    "notifications.channel_disabled": _("Message channel switched off"),
    # reports, assessment, binders
    "reports.exported": _("Report exported"),
    "assessment.rule_saved": _("Scoring rule saved"),
    "assessment.adjustment_added": _("Score adjustment added"),
    "assessment.adjustment_withdrawn": _("Score adjustment withdrawn"),
    "assessment.accountability_added": _("Accountability case recorded"),
    "assessment.risk_point_added": _("Integrity risk point added"),
    "binders.requested": _("Binder requested"),
    "binders.generated": _("Binder generated"),
    "binders.downloaded": _("Binder downloaded"),
}


def label(code: str) -> str:
    """The action's words (the code itself when the catalogue does not know it)."""
    return str(LABELS[code]) if code in LABELS else code


def choices() -> list[tuple[str, str]]:
    """(code, words) for a filter's drop-down, in the catalogue's order."""
    return [(code, str(text)) for code, text in LABELS.items()]
