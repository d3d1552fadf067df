"""五书制: escalation documents on lagging measures, each level issued exactly once.

Called daily by the beat (inspections.tasks.daily). For every open measure the
levels that apply on ``on`` are issued: the unique (measure, level) constraint
makes a second run — or two beats at once — write nothing, and the in-app
notice key is the document's id, so each document is sent once.

1 督办通知书  — the plan is set (the measure exists);
2 督查指导书  — ≥ lag_fraction of the time has gone and no progress is recorded;
3 提醒书      — the deadline is ``remind_days`` away or closer;
4 告诫书      — the deadline has passed (sets a final deadline);
5 问责建议    — ``accountability_days`` past the deadline, still open."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.dates import day
from notifications.services import county_staff_ids, notify_users
from tasks.models import Task, TaskEvent

from ..models import EscalationDocument, Measure

Level = EscalationDocument.Level
PROGRESS_EVENTS = (TaskEvent.Kind.NOTE_SAVED, TaskEvent.Kind.FILE_ADDED)


def due_levels(measure, task, on, has_progress: bool) -> list[tuple[int, str]]:
    levels = [(Level.NOTICE, _("The rectification plan is set."))]
    start, due = measure.created_on, task.due_date
    span = max((due - start).days, 1)
    if (on - start).days >= settings.QINGDAN_ESCALATION_LAG_FRACTION * span and not has_progress and on <= due:
        levels.append((Level.GUIDANCE, _("Half the time has passed and no progress is recorded.")))
    if 0 <= (due - on).days <= settings.QINGDAN_ESCALATION_REMIND_DAYS:
        levels.append((Level.REMINDER, _("The deadline is close.")))
    if on > due:
        levels.append((Level.WARNING, _("The deadline has passed.")))
    if (on - due).days >= settings.QINGDAN_ESCALATION_ACCOUNTABILITY_DAYS:
        levels.append((Level.ACCOUNTABILITY, _("The deadline was missed by more than %(days)s days.") % {"days": settings.QINGDAN_ESCALATION_ACCOUNTABILITY_DAYS}))
    return levels


def recipients_of(measure, level) -> list[int]:
    from .common import secretary_ids

    ids = secretary_ids([measure.org_id])
    if level >= Level.WARNING:
        ids = sorted(set(ids) | set(county_staff_ids(org=measure.org)))
    return ids


def issue(measure, level, reason, on) -> EscalationDocument | None:
    """Issue one document (None if it exists already) and queue its notices."""
    recipients = recipients_of(measure, level)
    try:
        with transaction.atomic():
            doc = EscalationDocument.objects.create(
                measure=measure, level=level, number=f"督〔{on.year}〕{measure.pk}-{int(level)}", issued_on=on, reason=reason[:300],
                final_deadline=on + timedelta(days=settings.QINGDAN_ESCALATION_FINAL_DAYS) if level == Level.WARNING else None,
                recipients=recipients,
            )
            audit.record("inspections.escalation_issued", obj=doc, level=int(level), measure=measure.pk)
            notify_users(
                recipients, key=f"inspections:escalation:{doc.pk}",
                title=f"{doc.get_level_display()}：{measure.action[:60]}",
                body=f"{measure.org.name} · {_('deadline')} {day(measure.deadline)} · {reason}",
                link=reverse("inspections:escalation_print", kwargs={"pk": doc.pk}),
            )
    except IntegrityError:
        return None
    return doc


def run_escalation(on=None) -> int:
    on = on or timezone.localdate()
    measures = (
        Measure.objects.filter(task__status__in=Task.OPEN_STATUSES)
        .select_related("org", "task")
    )
    existing = set(EscalationDocument.objects.filter(measure__in=measures).values_list("measure_id", "level"))
    progressed = set(
        TaskEvent.objects.filter(task__in=measures.values("task_id"), kind__in=PROGRESS_EVENTS).values_list("task_id", flat=True)
    )
    issued = 0
    for measure in measures:
        has_progress = measure.task_id in progressed or bool(measure.task.note)
        for level, reason in due_levels(measure, measure.task, on, has_progress):
            if (measure.pk, int(level)) in existing:
                continue
            if issue(measure, level, reason, on) is not None:
                issued += 1
    return issued
