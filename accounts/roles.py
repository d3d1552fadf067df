"""The one role → permission table, and what each action reaches in the tree; and the three
administrator roles (三员分立) with what each may do.

A role held at an org grants these actions on that org. ``REACH`` says how far
an action extends from the org where it is granted:

* ``subtree`` — the org and every org below it (never sideways, never up);
* ``self`` — that org only (recording work, acting as reviewer of the org's
  review queue).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMISSION_STAFF = "commission_staff", _("Discipline commission staff")
    PARTY_SECRETARY = "party_secretary", _("Party secretary")
    DISCIPLINE_SECRETARY = "discipline_secretary", _("Discipline secretary")
    MEMBER = "member", _("Leadership member")
    CLERK = "clerk", _("Liaison clerk")


class Action(models.TextChoices):
    VIEW = "view", _("view")
    WORK = "work", _("record work")
    REVIEW = "review", _("review")
    MANAGE = "manage", _("manage")
    SENSITIVE = "sensitive", _("see sensitive records")


# action → guardian codename on accounts.OrgUnit
PERMISSION = {
    Action.VIEW: "view_orgunit",
    Action.WORK: "work_orgunit",
    Action.REVIEW: "review_orgunit",
    Action.MANAGE: "manage_orgunit",
    Action.SENSITIVE: "sensitive_orgunit",
}

REACH = {
    Action.VIEW: "subtree",
    Action.WORK: "self",
    Action.REVIEW: "self",
    Action.MANAGE: "subtree",
    Action.SENSITIVE: "subtree",
}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.COMMISSION_STAFF: frozenset({Action.VIEW, Action.REVIEW, Action.MANAGE, Action.SENSITIVE}),
    Role.PARTY_SECRETARY: frozenset({Action.VIEW, Action.WORK, Action.SENSITIVE}),
    Role.DISCIPLINE_SECRETARY: frozenset({Action.VIEW, Action.WORK, Action.REVIEW, Action.SENSITIVE}),
    Role.MEMBER: frozenset({Action.VIEW, Action.WORK}),
    Role.CLERK: frozenset({Action.VIEW, Action.WORK}),
}

# Roles that answer for an org's duties as 书记 (used by reminders' escalation, talk coverage…).
SECRETARY_ROLES = (Role.PARTY_SECRETARY, Role.DISCIPLINE_SECRETARY)


# --- the administrators (三员分立, 等保 8.1.5.1–8.1.5.3) ---------------------------------------
# An account holds at most one administrator role (one field, User.admin_role), and an
# administrator reaches no org: administrators run the system, they do not do its business.

class AdminRole(models.TextChoices):
    SYSTEM = "system", _("System administrator")
    SECURITY = "security", _("Security administrator")
    AUDIT = "audit", _("Audit administrator")


class Duty(models.TextChoices):
    """What an administrator role is for (asked through accounts.scope.administers)."""
    ADMIN_SITE = "admin_site", _("use the administration site")
    MANAGE_ACCOUNTS = "manage_accounts", _("manage accounts, organisations and memberships")
    ONBOARD = "onboard", _("import organisations and accounts in bulk")
    SECURE_ACCOUNTS = "secure_accounts", _("unlock accounts and reset second factors")
    READ_AUDIT = "read_audit", _("read and export the audit trail")
    ASSIGN_ADMIN_ROLES = "assign_admin_roles", _("assign administrator roles")


ADMIN_DUTIES: dict[str, frozenset[str]] = {
    AdminRole.SYSTEM: frozenset({Duty.ADMIN_SITE, Duty.MANAGE_ACCOUNTS}),
    AdminRole.SECURITY: frozenset({Duty.ADMIN_SITE, Duty.ONBOARD, Duty.SECURE_ACCOUNTS}),
    AdminRole.AUDIT: frozenset({Duty.READ_AUDIT}),
}

# The administration site's models each role works on ("app_label.model": operations). Business
# data (tasks, findings, talks, binders…) and the audit trail are in nobody's list: only the
# break-glass superuser opens them there, and every request of his is audited.
ADMIN_MODELS: dict[str, dict[str, frozenset[str]]] = {
    AdminRole.SYSTEM: {
        "accounts.orgunit": frozenset({"view", "add", "change"}),
        "accounts.user": frozenset({"view", "add", "change"}),
        "accounts.membership": frozenset({"view", "add", "change", "delete"}),
        # system settings
        "notifications.remindersettings": frozenset({"view", "change"}),
        "notifications.sweepstate": frozenset({"view"}),
        "responsibilities.holiday": frozenset({"view", "add", "change", "delete"}),
        "django_celery_beat.periodictask": frozenset({"view", "change"}),
        "django_celery_beat.crontabschedule": frozenset({"view"}),
        "django_celery_beat.intervalschedule": frozenset({"view"}),
    },
    AdminRole.SECURITY: {
        "accounts.accountsecurity": frozenset({"view", "change"}),
        "accounts.securitypolicy": frozenset({"view", "add", "change"}),
        "axes.accessattempt": frozenset({"view", "delete"}),
        "axes.accessfailurelog": frozenset({"view"}),
        "axes.accesslog": frozenset({"view"}),
        "notifications.webhook": frozenset({"view", "change"}),
        # the work apps' secrets (never shown again) and who is bound to which work-app account
        "workapp.credential": frozenset({"view", "add", "change"}),
        "workapp.binding": frozenset({"view", "add", "change", "delete"}),
    },
    AdminRole.AUDIT: {},
}

# Named URLs (``namespace:name``; ``namespace:*`` for a whole namespace) an administrator may
# open; everything else answers 403 (accounts.middleware.AdministratorConfinementMiddleware).
ADMIN_ROUTES_ALL = frozenset({
    "home", "set_language", "accounts:login", "accounts:logout", "accounts:password_change",
    "accounts:otp_verify", "accounts:otp_enrol", "accounts:otp_recovery",
})
ADMIN_ROUTES: dict[str, frozenset[str]] = {
    AdminRole.SYSTEM: ADMIN_ROUTES_ALL | {"admin:*"},
    AdminRole.SECURITY: ADMIN_ROUTES_ALL | {"admin:*", "accounts:import", "accounts:import_template",
                                             "accounts:second_factors", "accounts:second_factor_reset"},
    AdminRole.AUDIT: ADMIN_ROUTES_ALL | {"accounts:audit_log", "accounts:audit_export"},
}
