"""Rectification measures as Tasks; 销号 (submit → verification by county staff); 回头看."""

import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit, pickers
from accounts.dates import day
from accounts.scope import can
from tasks import services as task_services
from tasks.models import Task

from ..models import Finding, Inspection, Measure, Recheck
from .common import create_source_task, require_manager


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def create_measure(user, finding, *, org, goal, action, deadline, type, leader_name="", person_name="") -> Measure:
    require_manager(user, finding.inspection.org)
    errors = {}
    if org is None:
        errors["org"] = _("Choose the responsible unit.")
    elif not org.is_active:
        errors["org"] = _("The responsible unit is no longer active.")
    elif not pickers.allowed("managed_org", user, org):
        errors["org"] = _("The responsible unit must be one you manage.")
    if deadline is None:
        errors["deadline"] = _("Set the deadline.")
    elif deadline < finding.found_on:
        errors["deadline"] = _("The deadline (%(deadline)s) is before the finding date (%(found)s).") % {
            "deadline": day(deadline), "found": day(finding.found_on)}
    if not (action or "").strip():
        errors["action"] = _("Describe the specific measure.")
    if not (goal or "").strip():
        errors["goal"] = _("State the rectification goal.")
    if finding.status != Finding.Status.OPEN:
        errors["__all__"] = _("The finding is closed; measures can no longer be added.")
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    measure = Measure.objects.create(
        finding=finding, org=org, goal=goal.strip(), action=action.strip(), deadline=deadline, type=type,
        leader_name=leader_name, person_name=person_name, created_by=user, created_on=today,
    )
    insp = finding.inspection
    measure.task = create_source_task(
        measure, kind=Task.Kind.RECTIFICATION, org=org, title=f"【整改】{measure.action}", requirement=measure.goal,
        start=min(today, deadline), due=deadline, label=f"{insp.round.name}整改"[:40], actor=user,
        hint=_("Progress note and evidence of the rectification"),
    )
    measure.save(update_fields=["task"])
    if insp.status == Inspection.Status.ACTIVE:
        Inspection.objects.filter(pk=insp.pk).update(status=Inspection.Status.RECTIFYING)
    audit.record("inspections.measure_created", obj=measure, finding=finding.pk, deadline=str(deadline), task=measure.task_id)
    return measure


def _task(measure) -> Task:
    return Task.objects.get(pk=measure.task_id)


def record_progress(user, measure, *, note, uploaded=None, version=None):
    """Officer of the responsible unit: a dated progress note and optional evidence (one of
    the two at least)."""
    task = _task(measure)
    if not can(user, "work", task.org):
        raise PermissionDenied(_("Only the responsible unit records progress."))
    if not (note or "").strip() and uploaded is None:
        raise ValidationError(_("Write a progress note or choose a file."))
    with transaction.atomic():
        if note is not None and note.strip():
            task_services.save_note(task, user, note.strip(), version=version if version is not None else task.version)
        if uploaded is not None:
            task_services.add_evidence(Task.objects.get(pk=task.pk), user, uploaded)
        audit.record("inspections.progress_recorded", obj=measure, task=task.pk, file=bool(uploaded))
    return Task.objects.get(pk=task.pk)


def request_closure(user, measure, *, note=None):
    """申请销号: needs evidence; goes to county staff for verification."""
    task = _task(measure)
    if not can(user, "work", task.org):
        raise PermissionDenied(_("Only the responsible unit requests closure."))
    if not task.evidence.filter(removed_at__isnull=True).exists():
        raise ValidationError(_("Upload evidence of the rectification before requesting closure."))
    with transaction.atomic():
        task_services.submit(task, user, note=note or None, version=task.version)
        audit.record("inspections.closure_requested", obj=measure, task=task.pk)
    return Task.objects.get(pk=task.pk)


def verify(user, measure, *, approve: bool, comment: str):
    """巡察办 verification: approve (销号) or return. Never one's own measure."""
    task = _task(measure)
    if not can(user, "review", task.review_org):
        raise PermissionDenied(_("Only county commission staff verify closures."))
    if task.submitted_by_id == user.pk or can(user, "work", task.org):
        raise PermissionDenied(_("You cannot verify a measure of your own unit."))
    if task.status != Task.Status.SUBMITTED:
        raise ValidationError(_("Closure has not been requested for this measure."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Give the reason for returning it.")})
    with transaction.atomic():
        if approve:
            task_services.approve(task, user, comment=comment)
        else:
            task_services.return_task(task, user, comment)
        audit.record("inspections.measure_verified", obj=measure, approved=approve, comment=comment)
        refresh_finding(measure.finding, actor=user)
    return Task.objects.get(pk=task.pk)


@transaction.atomic
def refresh_finding(finding, actor=None) -> bool:
    """Close a finding whose measures are all approved, and schedule its 回头看 (once)."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != Finding.Status.OPEN:
        return False
    statuses = list(Task.objects.filter(pk__in=finding.measures.values("task_id")).values_list("status", "approved_on"))
    live = [(s, d) for s, d in statuses if s != Task.Status.CANCELLED]
    if not live or any(s != Task.Status.APPROVED for s, _d in live):
        return False
    closed_on = max(d for _s, d in live if d) if any(d for _s, d in live) else timezone.localdate()
    finding.status, finding.closed_on = Finding.Status.CLOSED, closed_on
    finding.save(update_fields=["status", "closed_on"])
    audit.record("inspections.finding_closed", obj=finding, closed_on=str(closed_on))
    schedule_recheck(finding, actor=actor)
    return True


def schedule_recheck(finding, actor=None) -> Recheck:
    due = add_months(finding.closed_on or timezone.localdate(), settings.QINGDAN_RECHECK_MONTHS)
    recheck, created = Recheck.objects.get_or_create(finding=finding, defaults={"due_date": due})
    if recheck.task_id is None:
        insp = finding.inspection
        recheck.task = create_source_task(
            recheck, kind=Task.Kind.RECHECK, org=insp.org, title=f"【回头看】{finding.description}"[:300],
            requirement=_("Check that the rectification of this finding holds (no paper-only rectification)."),
            start=finding.closed_on or timezone.localdate(), due=due, label=f"{insp.round.name}回头看"[:40], actor=actor,
        )
        recheck.save(update_fields=["task"])
        audit.record("inspections.recheck_scheduled", obj=recheck, finding=finding.pk, due=str(due))
    return recheck


def refresh_open_findings() -> int:
    """Daily: findings whose measures were all approved elsewhere (task pages) are closed here."""
    closed = 0
    for finding in Finding.objects.filter(status=Finding.Status.OPEN, measures__task__status=Task.Status.APPROVED).distinct():
        closed += refresh_finding(finding)
    return closed
