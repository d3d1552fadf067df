"""Reports rules as plain functions (views, commands and Celery call them)."""

import io

from django.core.files.base import ContentFile
from django.db import transaction
from openpyxl import Workbook

from accounts import audit, jobs
from accounts.xlsx import neutralise
from tasks.models import Task

from .models import Export

PROGRESS_EVERY = 2000
COLUMNS = ["单位代码", "单位", "事项", "周期", "截止日期", "状态", "完成日期", "审核日期", "延期次数", "记录"]


def start_archive_export(user, org, year: int) -> Export:
    """Create the export row (audited) and queue the job after commit."""
    from .tasks import run_export

    with transaction.atomic():
        export = Export.objects.create(user=user, org=org, year=year)
        audit.record("reports.exported", user=user, obj=org, org=org, report="archive", year=year, scope=org.code, export=export.pk)
        transaction.on_commit(lambda: run_export.delay(export.pk))
    return export


def run_archive_export(export_id: int, run_id: str | None = None) -> None:
    """Write every task of the year in the requester's scope under ``org`` (write-only, streamed).
    A message for a row that is not its own to run (``accounts.jobs.claim``) does nothing."""
    with jobs.claim(Export, export_id, run_id) as run:
        if run is not None:
            _write_archive(export_id, run)


def _write_archive(export_id: int, run: str) -> None:
    export = Export.objects.select_related("org", "user").get(pk=export_id)
    qs = (Task.objects.restrict(export.user, "view").filter(org__path__startswith=export.org.path,
                              due_date__year=export.year)
          .order_by("org__path", "due_date", "id")
          .values_list("org__code", "org__name", "title", "period_label", "due_date", "status", "completed_on",
                       "approved_on", "extension_count", "note"))
    total = qs.count()
    jobs.progress(Export, export_id, run, total=total)
    status_labels = dict(Task.Status.choices)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"{export.year}年任务")
    ws.append(COLUMNS)
    for n, row in enumerate(qs.iterator(chunk_size=PROGRESS_EVERY), start=1):
        row = list(row)
        row[5] = str(status_labels.get(row[5], row[5]))
        ws.append([neutralise(v) for v in row])
        if n % PROGRESS_EVERY == 0:
            jobs.progress(Export, export_id, run, done=n)
    out = io.BytesIO()
    wb.save(out)
    export.file.save(f"archive-{export.org.code}-{export.year}-{export.pk}.xlsx", ContentFile(out.getvalue()), save=False)
    if not jobs.finish(Export, export_id, run, file=export.file.name, done=total, status=Export.Status.DONE):
        export.file.delete(save=False)  # a newer run owns the row

