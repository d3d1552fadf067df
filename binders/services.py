"""Binders as plain functions (views, the Celery job, the bench and tests call them).

Who may ask (scope from ``accounts.scope`` only): the org itself (``work`` there), a
reviewer at the org or above it (a town's 纪委书记 for its villages), county staff
(``manage`` over it). Asking for ``subtree`` (a binder for every org below, one job and
one zip) needs the reviewer's or the manager's reach. Everyone who may view the org may
see and download its binders: they hold nothing the viewer could not open one by one."""

import gc
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from openpyxl import Workbook

from accounts import audit, jobs
from accounts.models import OrgUnit
from accounts.scope import can
from reports import xlsx
from tasks.models import Evidence, Task, TaskEvent

from . import build
from .models import Binder

PROGRESS_EVERY = 5
INDEX_COLUMNS = [
    xlsx.Column("单位代码", xlsx.TEXT, 12), xlsx.Column("单位", xlsx.TEXT, 14), xlsx.Column("清单", xlsx.TEXT, 22),
    xlsx.Column("事项", xlsx.TEXT, 28), xlsx.Column("期次", xlsx.TEXT, 14), xlsx.Column("任务编号", xlsx.INT, 10),
    xlsx.Column("文件名", xlsx.TEXT, 28), xlsx.Column("压缩包内路径", xlsx.TEXT, 50), xlsx.Column("大小（字节）", xlsx.INT, 12),
    xlsx.Column("sha256", xlsx.TEXT, 66), xlsx.Column("处理", xlsx.TEXT, 20), xlsx.Column("原因", xlsx.TEXT, 30),
]


def may_request(user, org, *, subtree: bool = False) -> bool:
    """May ``user`` ask for ``org``'s binder (``subtree``: for every org below it too)?
    The caller has checked view scope already (outside it: 404)."""
    if can(user, "manage", org):
        return True
    if OrgUnit.objects.restrict(user, "review").filter(path__in=org.ancestor_paths()).exists():
        return True
    return not subtree and can(user, "work", org)


def request_binder(user, org, *, year: int, quarter: int | None = None, subtree: bool = False) -> Binder:
    """Create the binder row (audited) and queue the job after commit. A binder of the same
    org and period still queued or running is returned instead of a second job."""
    from .tasks import run_binder

    with transaction.atomic():
        OrgUnit.objects.select_for_update().filter(pk=org.pk).first()  # one request per org at a time
        running = Binder.objects.filter(org=org, year=year, quarter=quarter, subtree=subtree,
                                        status__in=[Binder.Status.QUEUED, Binder.Status.RUNNING]).first()
        if running is not None:
            return running
        binder = Binder.objects.create(requested_by=user, org=org, year=year, quarter=quarter, subtree=subtree)
        audit.record("binders.requested", user=user, obj=org, org=org, binder=binder.pk, year=year,
                     quarter=quarter or 0, subtree=subtree)
        transaction.on_commit(lambda: run_binder.delay(binder.pk))
    return binder


def binder_orgs(binder) -> list[OrgUnit]:
    """The orgs the job makes a binder for, as the requester's scope allows today."""
    scope = OrgUnit.objects.restrict(binder.requested_by, "view")
    if binder.subtree:
        return list(scope.filter(path__startswith=binder.org.path).order_by("path"))
    return list(scope.filter(pk=binder.org_id))


def period_tasks(binder):
    """Every task of the binder's period (cancelled ones are not part of the 台账)."""
    start, end, _label = binder.span
    return Task.objects.filter(due_date__range=(start, end)).exclude(status=Task.Status.CANCELLED)


def org_tasks(binder, org):
    return list(period_tasks(binder).filter(org=org).select_related("reviewed_by").order_by("due_date", "id"))


class _Progress:
    def __init__(self, binder):
        self.binder, self.done = binder, 0

    def step(self, n=1):
        self.done += n
        if self.done % PROGRESS_EVERY < n:
            jobs.progress(Binder, self.binder.pk, self.binder.run_id, done=self.done)


def run_binder(binder_id: int, run_id: str | None = None) -> None:
    """The job: claim the row (``accounts.jobs.claim``: a message for a row not its own to run
    does nothing), build every org's binder into one zip, keep the result, drop the files of
    the binder it replaces."""
    with jobs.claim(Binder, binder_id, run_id) as run:
        if run is not None:
            _run(binder_id)


def _run(binder_id: int) -> None:
    binder = Binder.objects.select_related("org", "requested_by").get(pk=binder_id)
    work = Path(tempfile.mkdtemp(prefix=f"binder-{binder_id}-"))
    try:
        with translation.override(settings.LANGUAGE_CODE):
            result = _build(binder, work)
        _finish(binder, work, result)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _build(binder, work: Path) -> dict:
    orgs = binder_orgs(binder)
    org_ids = [o.pk for o in orgs]
    tasks_total = period_tasks(binder).filter(org_id__in=org_ids).count()
    evidence_total = Evidence.objects.filter(task__in=period_tasks(binder).filter(org_id__in=org_ids),
                                             removed_at__isnull=True).count()
    total = tasks_total + evidence_total + len(orgs)
    jobs.progress(Binder, binder.pk, binder.run_id, total=total, done=0)
    progress = _Progress(binder)
    made_on = timezone.localdate()
    unit = xlsx.report_unit(binder.requested_by)
    zip_path = work / "binder.zip"
    index_rows, left_out = [], []
    pages_total = files_included = 0
    single_pdf = None
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True) as zf:
        for org in orgs:  # one org's tasks in memory at a time
            tasks = org_tasks(binder, org)
            folder = build.folder_name(f"{org.code} {org.name}")
            out = work / f"{org.code}.pdf"
            pages, org_left, rows = build_org(binder, org, tasks, out, work, zf, folder, unit, made_on, progress)
            zf.write(out, f"{folder}/{build.folder_name(f'{org.name}{binder.period_label}台账', 100)}.pdf")
            pages_total += pages
            left_out += org_left
            index_rows += rows
            files_included += sum(1 for r in rows if r[7])
            if not binder.subtree:
                single_pdf = out
            else:
                out.unlink()
            progress.step()
            gc.collect()  # pypdf's reader/writer graph is cyclic: free one org's pages before the next
        index = work / "index.xlsx"
        write_index(index, index_rows, title=f"{binder.org.name}{binder.period_label}台账材料索引", unit=unit, made_on=made_on)
        zf.write(index, "index.xlsx")
    return {"zip": zip_path, "pdf": single_pdf, "total": total, "pages": pages_total, "left_out": left_out,
            "files_included": files_included, "orgs": len(orgs)}


def build_org(binder, org, tasks, out: Path, work: Path, zf, folder: str, unit: str, made_on, progress):
    """One org's PDF at ``out`` and its originals into the open zip. Returns (pages,
    left-out rows, index rows)."""
    period = binder.period_label
    tmp = work / f"org-{org.pk}"
    tmp.mkdir()
    sources = build.sources_for(tasks)
    last_review = {}
    for ev in TaskEvent.objects.filter(task__in=tasks, kind__in=[TaskEvent.Kind.APPROVED, TaskEvent.Kind.RETURNED,
                                                                   TaskEvent.Kind.REOPENED]).order_by("at", "id"):
        last_review[ev.task_id] = ev
    entries = []
    for t in tasks:
        checklist, item, order = sources[t.pk]
        entries.append(build.TaskEntry(t, checklist, item, order, build.decision_text(t, last_review.get(t.pk))))
    entries.sort(key=lambda e: (e.item_order, e.task.period_start, e.task.due_date, e.task.pk))
    by_task = {e.task.pk: e for e in entries}
    evidence = Evidence.objects.filter(task__in=tasks, removed_at__isnull=True).order_by("task_id", "uploaded_at", "id")
    used_names: set[str] = set()
    left_out, rows = [], []
    if not tasks:
        left_out.append({"org": org.name, "task": "", "file": "", "reason": "该单位本期没有任务"})
    for ev in evidence.iterator(chunk_size=200):
        e = by_task[ev.task_id]
        f = build.examine(ev, tmp)
        e.files.append(f)
        if f.source:
            f.zip_path = _unique(used_names, "/".join([folder, build.folder_name(e.checklist), build.folder_name(e.item),
                                                       build.folder_name(e.task.period_label), build.folder_name(f.name, 100)]))
            zf.write(f.source, f.zip_path)
        if f.state in (build.LEFT_OUT, build.EXCLUDED):
            left_out.append({"org": org.name, "task_id": e.task.pk, "task": f"{e.item} · {e.task.period_label}",
                             "file": f.name, "reason": f.reason})
        rows.append([org.code, org.name, e.checklist, e.item, e.task.period_label, e.task.pk, f.name, f.zip_path, f.size,
                     f.sha256, build.STATE_LABELS[f.state], f.reason])
        progress.step()
    # pass 1: how many pages the front takes; then each task after it; then the front with numbers
    front = tmp / "front.pdf"
    kwargs = dict(org=org, period=period, unit=unit, made_on=made_on, entries=entries, left_out=left_out)
    front_pages = build.render_front(front, numbers=False, **kwargs)
    page = front_pages + 1
    for e in entries:
        e.start_page = page
        e.pdf_path = tmp / f"task-{e.task.pk}.pdf"
        e.pages = build.render_task(e.pdf_path, e, org=org, period=period, offset=page - 1)
        for f in e.files:
            if f.image_path is not None:
                f.image_path.unlink(missing_ok=True)  # drawn: the downscaled copy is no longer needed
                f.image_path = None
        page += e.pages + sum(f.pages for f in e.files if f.pdf_path)
        progress.step()
    again = build.render_front(front, numbers=True, **kwargs)
    if again != front_pages:  # cannot happen with fixed-width page numbers; never ship a wrong contents page
        raise RuntimeError(f"the table of contents changed length ({front_pages} → {again} pages)")
    pages = build.merge(out, front, entries)
    shutil.rmtree(tmp, ignore_errors=True)
    return pages, left_out, rows


def _unique(used: set[str], path: str) -> str:
    if path not in used:
        used.add(path)
        return path
    stem, dot, ext = path.rpartition(".")
    if not dot or "/" in ext:
        stem, ext = path, ""
    n = 2
    while True:
        candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
        if candidate not in used:
            used.add(candidate)
            return candidate
        n += 1


def write_index(path: Path, rows, *, title: str, unit: str, made_on) -> None:
    """index.xlsx: one row per evidence file, in the house workbook style (reports.xlsx)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("材料索引")
    xlsx.write_table(ws, title=title, unit=unit, made_on=made_on, table=xlsx.Table(INDEX_COLUMNS, rows))
    wb.save(path)


def _finish(binder, work: Path, result: dict) -> None:
    stamp = f"{binder.org.code}-{binder.year}{f'Q{binder.quarter}' if binder.quarter else ''}-{binder.pk}"
    with open(result["zip"], "rb") as fh:
        binder.archive.save(f"binder-{stamp}.zip", File(fh), save=False)
    if result["pdf"] is not None:
        with open(result["pdf"], "rb") as fh:
            binder.pdf.save(f"binder-{stamp}.pdf", File(fh), save=False)
    with transaction.atomic():
        if not jobs.finish(Binder, binder.pk, binder.run_id,
                           status=Binder.Status.DONE, archive=binder.archive.name, pdf=binder.pdf.name or "",
                           pages=result["pages"], files_included=result["files_included"], left_out=result["left_out"],
                           done=result["total"]):
            transaction.on_commit(lambda: _drop_files(binder))  # a newer run owns the row
            return
        audit.record("binders.generated", user=binder.requested_by, obj=binder.org, org=binder.org, binder=binder.pk,
                     pages=result["pages"], files=result["files_included"], left_out=len(result["left_out"]),
                     orgs=result["orgs"])
        replaced = list(Binder.objects.select_for_update().filter(
            org=binder.org, year=binder.year, quarter=binder.quarter, subtree=binder.subtree, status=Binder.Status.DONE,
        ).filter(Q(created_at__lt=binder.created_at) | Q(created_at=binder.created_at, pk__lt=binder.pk)))
        for old in replaced:
            Binder.objects.filter(pk=old.pk).update(status=Binder.Status.REPLACED, pdf="", archive="")
            transaction.on_commit(lambda old=old: _drop_files(old))


def _drop_files(old) -> None:
    for f in (old.pdf, old.archive):
        if f:
            f.storage.delete(f.name)
