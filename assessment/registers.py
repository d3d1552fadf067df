"""问责 records and the 廉政风险点 register: rules as plain functions, audited,
all-or-nothing. Scope: 问责 is read with the "sensitive" action and written by
county staff ("manage"); risk points are read with "view" and written by the
org itself ("work") or the level managing it ("manage")."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit, pickers
from accounts.scope import can

from .models import Accountability, RiskPoint


@transaction.atomic
def add_accountability(user, *, org, target, measure, reason, decided_on, decided_by, person=None, duty="direct",
                       direct_case=None, task=None, source_note="") -> Accountability:
    if not can(user, "manage", org):
        raise PermissionDenied
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason.")
    if not (decided_by or "").strip():
        errors["decided_by"] = _("Say who decided.")
    if target == Accountability.Target.PERSON:
        if person is None:
            errors["person"] = _("Choose the person held accountable.")
        elif not pickers.allowed("accountable_person", user, person, org=org):
            errors["person"] = _("This person holds no post at the organisation held accountable.")
        if measure in Accountability.ORG_MEASURES:
            errors["measure"] = _("This measure applies to an organisation, not a person.")
    else:
        person = None
        if measure not in Accountability.ORG_MEASURES:
            errors["measure"] = _("This measure applies to a person, not an organisation.")
    if direct_case is not None:
        if duty == Accountability.Duty.DIRECT:
            errors["duty"] = _("A record traced back from a direct case bears main or supervisory responsibility.")
        if not can(user, "sensitive", direct_case.org):
            errors["direct_case"] = _("This case is outside your scope.")
    if task is not None and not can(user, "view", task):  # the task rule: its org viewed or its review org reviewed
        errors["task"] = _("This task is outside your scope.")
    elif task is not None and not pickers.allowed("task", user, task, org=org):
        errors["task"] = _("The task is neither the organisation's held accountable nor of a unit below it.")
    if errors:
        raise ValidationError(errors)
    rec = Accountability(org=org, target=target, person=person, measure=measure, duty=duty, direct_case=direct_case,
                         reason=reason.strip(), decided_on=decided_on, decided_by=decided_by.strip(), task=task,
                         source_note=(source_note or "").strip(), created_by=user)
    rec.full_clean()
    rec.save()
    audit.record("assessment.accountability_added", user=user, obj=rec, target=target, measure=measure, duty=duty,
                 person=person.pk if person else None, direct_case=direct_case.pk if direct_case else None)
    return rec


def can_edit_risks(user, org) -> bool:
    return can(user, "work", org) or can(user, "manage", org)


@transaction.atomic
def add_risk_point(user, *, org, post, description, level, controls, owner, reviewed_on=None) -> RiskPoint:
    if not can_edit_risks(user, org):
        raise PermissionDenied
    errors = {k: _("This field is required.") for k, v in
              {"post": post, "description": description, "controls": controls, "owner": owner}.items() if not (v or "").strip()}
    if level not in RiskPoint.Level.values:
        errors["level"] = _("Choose a level.")
    if errors:
        raise ValidationError(errors)
    rp = RiskPoint(org=org, post=post.strip(), description=description.strip(), level=level, controls=controls.strip(),
                   owner=owner.strip(), reviewed_on=reviewed_on, created_by=user)
    rp.full_clean()
    rp.save()
    audit.record("assessment.risk_point_added", user=user, obj=rp, post=rp.post, level=level)
    return rp
