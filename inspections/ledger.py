"""整改台账: one row per rectification measure, the columns of domain.md §3.1.

Used by the download (inspections:ledger_export) and as the 整改台账 sheet of the
quarterly workbook (``quarterly_sheet``, registered in InspectionsConfig.ready)."""

import io

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.dates import day
from reports import xlsx
from reports.xlsx import DATE, INT, TEXT, Column, Table
from tasks.models import Task, TaskEvent

from .models import Measure

HEADERS = [
    "序号", "巡察轮次/来源", "被巡察单位", "问题类别", "问题描述", "整改目标", "具体措施", "责任领导", "责任部门", "责任人",
    "完成时限", "整改类型", "进展情况", "佐证材料", "状态", "销号审核人和日期", "建章立制", "问责情况",
]
# The widths the columns would like; reports.xlsx narrows the long text ones to print on A4.
WIDTHS = [5, 14, 11, 9, 30, 22, 30, 8, 11, 8, 15, 8, 30, 8, 8, 12, 14, 14]
KINDS = {"序号": INT, "完成时限": DATE}


def ledger_status(task, on) -> str:
    if task.status == Task.Status.APPROVED:
        return "已销号"
    if task.status == Task.Status.SUBMITTED:
        return "申请销号"
    if task.status == Task.Status.CANCELLED:
        return "已撤销"
    if task.status == Task.Status.RETURNED:
        return "退回"
    if task.due_date < on:
        return "逾期"
    if task.note or getattr(task, "n_progress", 0):
        return "整改中"
    return "未启动"


def ledger_measures(orgs, round_id=None):
    qs = (
        Measure.objects.filter(org__in=orgs)
        .select_related("finding__inspection__round", "finding__inspection__org", "finding__category", "org", "task", "task__reviewed_by")
        .order_by("finding__inspection__round__start_date", "finding__inspection__org__path", "finding__seq", "id")
    )
    if round_id:
        qs = qs.filter(finding__inspection__round_id=round_id)
    return qs


def ledger_rows(measures, on=None):
    on = on or timezone.localdate()
    measures = list(measures)
    task_ids = [m.task_id for m in measures if m.task_id]
    notes: dict[int, list[str]] = {}
    for tid, at, msg, data in (
        TaskEvent.objects.filter(task_id__in=task_ids, kind=TaskEvent.Kind.NOTE_SAVED).order_by("at", "id")
        .values_list("task_id", "at", "message", "data")
    ):
        text = msg or (data or {}).get("note", "")
        notes.setdefault(tid, []).append(f"{day(at)} {text}".strip())
    files = dict(
        Task.objects.filter(pk__in=task_ids).annotate(n=Count("evidence", filter=Q(evidence__removed_at__isnull=True)))
        .values_list("pk", "n")
    )
    for i, m in enumerate(measures, start=1):
        f, t = m.finding, m.task
        insp = f.inspection
        progress = notes.get(t.pk) or ([t.note] if t.note else [])
        t.n_progress = len(progress) + files.get(t.pk, 0)
        verified = ""
        if t.status == Task.Status.APPROVED and t.reviewed_by_id:
            verified = f"{t.reviewed_by.get_full_name() or t.reviewed_by.username} {day(t.approved_on)}".strip()
        yield [
            i, f"{insp.round.name}/{f.get_source_display()}", insp.org.name, f.category.name, f.description, m.goal, m.action,
            m.leader_name, m.org.name, m.person_name, m.deadline, m.get_type_display(), "\n".join(progress),
            _("%(n)s files") % {"n": files.get(t.pk, 0)}, ledger_status(t, on), verified, f.rules_adopted, f.accountability,
        ]


def ledger_table(rows):
    """The 整改台账 as a reports.xlsx Table (typed columns)."""
    return Table([Column(h, KINDS.get(h, TEXT), w) for h, w in zip(HEADERS, WIDTHS)], rows)


def quarterly_sheet(ctx):
    """Builder of the quarterly workbook's 整改台账 sheet (reports.workbook.register_sheet):
    every measure whose responsible unit is in the reader's scope under the workbook's root,
    its status as of the report date (``ctx.window.as_of``)."""
    orgs = ctx.scope.filter(path__startswith=ctx.root.path)
    return ledger_table(ledger_rows(ledger_measures(orgs), on=ctx.window.as_of))


def ledger_workbook(orgs, round_id=None, on=None) -> bytes:
    wb = Workbook(write_only=True)
    xlsx.write_table(wb.create_sheet("整改台账"), title="巡察整改台账", table=ledger_table(ledger_rows(ledger_measures(orgs, round_id), on)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
