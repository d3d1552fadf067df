"""The one role → permission table, and what each action reaches in the tree.

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
