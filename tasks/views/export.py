"""``tasks:list_export``: the task list with its current filters as an .xlsx, in the
quarterly workbook's print-ready style (``reports.xlsx``). The rows are the list's own:
the same scope (``Task.objects.restrict(user, "view")``) and the same FilterSet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts import audit
from accounts.downloads import attachment, workbook_bytes
from reports import xlsx

from ..filters import TaskFilter
from ..models import Task
from ..warnings import LOOKS, Colour, colour_expression

COLUMNS = [
    xlsx.Column("单位代码", xlsx.TEXT, 12), xlsx.Column("单位", xlsx.TEXT, 16), xlsx.Column("事项", xlsx.TEXT, 36),
    xlsx.Column("期次", xlsx.TEXT, 14), xlsx.Column("截止日期", xlsx.DATE, 12), xlsx.Column("状态", xlsx.TEXT, 10),
    None,  # 预警: its fills follow the language (columns())
    xlsx.Column("完成日期", xlsx.DATE, 12), xlsx.Column("审核日期", xlsx.DATE, 12),
    xlsx.Column("延期次数", xlsx.INT, 9), xlsx.Column("完成情况", xlsx.TEXT, 40),
]


MAX_ROWS = 50_000  # a larger export is a year's archive (reports: a Celery job), not a list


def columns(colour_labels: dict) -> list:
    """COLUMNS with the 预警 column, each warning colour's cell filled as on the dashboard."""
    fills = {colour_labels[c]: LOOKS[c].fill for c in Colour.ALL}
    return [c or xlsx.Column("预警", xlsx.TEXT, 10, fills=fills) for c in COLUMNS]


def _summary(f) -> str:
    """The filters in force, for the sheet's title: 「状态：已退回；单位：T1」."""
    parts = []
    for name, value in f.form.cleaned_data.items():
        if value in (None, "", []):
            continue
        field = f.form.fields[name]
        shown = dict(getattr(field, "choices", [])).get(value, value)
        parts.append(f"{field.label}：{shown}")
    return "；".join(str(p) for p in parts)


@login_required
def task_list_export(request):
    base = Task.objects.restrict(request.user, "view")
    f = TaskFilter(request.GET, queryset=base, request=request)
    back = reverse("tasks:list") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if not f.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(back)
    as_of = f.as_of_date()
    qs = f.qs.order_by("due_date", "id")
    total = qs.count()
    if total > MAX_ROWS:
        messages.error(request, _("%(n)d tasks match: narrow the filters to at most %(max)d rows to export them.")
                       % {"n": total, "max": MAX_ROWS})
        return redirect(back)
    status_labels = dict(Task.Status.choices)
    colour_labels = {**{c: str(LOOKS[c].name) for c in Colour.ALL}, Colour.NONE: "—"}
    rows = (
        [code, name, title, period, due, str(status_labels.get(status, status)), str(colour_labels.get(colour, colour)),
         completed, approved, extensions, note]
        for code, name, title, period, due, status, colour, completed, approved, extensions, note in
        qs.annotate(colour=colour_expression(as_of)).values_list(
            "org__code", "org__name", "title", "period_label", "due_date", "status", "colour", "completed_on",
            "approved_on", "extension_count", "note").iterator(chunk_size=2000)
    )
    summary = _summary(f)
    title = f"任务列表（{summary}）" if summary else "任务列表"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("任务列表")
    count = xlsx.write_table(ws, title=title, unit=xlsx.report_unit(request.user), made_on=timezone.localdate(), table=xlsx.Table(columns(colour_labels), rows))
    content = workbook_bytes(wb)
    with transaction.atomic():
        audit.record("tasks.list_exported", rows=count, filters=request.GET.urlencode()[:400])
    return attachment(content, f"tasks-{timezone.localdate():%Y%m%d}.xlsx")
