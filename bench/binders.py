"""Benchmark: the 年度台账 binders of a town's villages (one job, one zip), against a bare
baseline measured in the same run on the same evidence files.

    .venv/bin/python bench/binders.py                       # 20 villages × 50 files (1,000 files)
    .venv/bin/python bench/binders.py --villages 5 --files 20

A fresh SQLite database and media folder in a temp dir (migrate once). Each village gets
10 tasks and ``--files`` evidence files: photos of ~0.3–1 MB (some tagged with an EXIF
rotation), one 20 MB photo, 6-page PDFs, Word files. Then, each in a fresh process so its
peak RSS (``resource.getrusage`` maxrss, the worker side's own) is the job's alone:

* one village's binder, and the town with every village below it (``subtree``: the same job
  the town asks for);
* before each, its baseline: the same evidence files, each org's PDFs merged with a bare
  pypdf ``PdfWriter`` and every file written into a bare zip (deflate level 1, as the job
  does) — the least any binder of those files costs.

Printed: absolute numbers (wall time, peak RSS, the Python heap's peak under tracemalloc,
pages, sizes) and the ratios of each binder job to the baseline. The claim measured: peak
memory follows the largest single org's binder, not the number of villages (every org's
PDF is built, zipped and freed in turn). Not run by pytest.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _photo(size, orientation=None, quality=85, seed=0):
    import io

    from PIL import Image, ImageDraw

    im = Image.effect_noise(size, 40 + seed % 30).convert("RGB")
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, size[0] // 4, size[1] // 4), fill=(20, 20, 200))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, exif=exif.tobytes())
    return buf.getvalue()


def _pdf(pages):
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(pages):
        c.drawString(80, 760, f"meeting record, page {i + 1}")
        for y in range(700, 80, -14):
            c.drawString(80, y, "lorem ipsum " * 8)
        c.showPage()
    c.save()
    return buf.getvalue()


def populate(villages: int, files: int) -> None:
    """The town, its villages, tasks and evidence (stored files shared between rows)."""
    setup_django()
    import hashlib
    from datetime import date

    from django.contrib.contenttypes.models import ContentType
    from django.core.files.storage import default_storage
    from django.db import transaction

    from accounts.models import Membership, OrgUnit, User
    from accounts.uploads import DOCX
    from tasks.models import Evidence, Task

    t = time.perf_counter()
    blobs = [
        ("现场照片.jpg", "image/jpeg", _photo((1800, 1350), seed=1)),
        ("会议照片.jpg", "image/jpeg", _photo((2400, 1800), orientation=6, seed=2)),
        ("公示栏.jpg", "image/jpeg", _photo((1400, 1050), orientation=3, seed=3)),
        ("会议记录.pdf", "application/pdf", _pdf(6)),
        ("工作方案.docx", DOCX, b"PK\x03\x04" + os.urandom(40_000)),
    ]
    big = ("整改前后对比.jpg", "image/jpeg", _photo((5000, 3800), quality=92, seed=4))
    stored = []
    for name, ctype, data in [*blobs, big]:
        path = default_storage.save(f"evidence/bench/{hashlib.sha256(data).hexdigest()[:12]}", __import__("io").BytesIO(data))
        stored.append((name, ctype, path, len(data), hashlib.sha256(data).hexdigest()))
    print(f"[populate] files made: {time.perf_counter() - t:.1f} s; 20 MB photo = {stored[-1][3] / 2**20:.1f} MB", file=sys.stderr)
    ct = ContentType.objects.get_for_model(OrgUnit)
    with transaction.atomic():
        county = OrgUnit.add_root(name="示范县", code="C", kind="county")
        town = county.add_child(name="城关镇", code="T1", kind="town")
        user = User(username="staff", full_name="县纪委", must_change_password=False)
        user.set_password("Passw0rd!x-bench")
        user.save()
        Membership.objects.create(user=user, org=county, role="commission_staff", start_date=date(2020, 1, 1))
        evidence, input_bytes, n = [], 0, 0
        for v in range(1, villages + 1):
            town.refresh_from_db()
            village = town.add_child(name=f"第{v}村", code=f"T1-V{v:02d}", kind="village")
            tasks = []
            for i in range(10):
                due = date(2026, 1 + i, 28)
                tasks.append(Task.objects.create(
                    org=village, source_type=ct, source_id=10_000 * v + i, period_start=date(2026, 1 + i, 1),
                    period_end=due, period_label=f"2026年{1 + i}月", due_date=due, original_due_date=due,
                    title=f"事项{i + 1}", requirement="按要求开展并留存台账。", bearer="discipline", status="approved",
                    note="已按要求完成，材料见附件。" * 3, completed_on=due, approved_on=due, review_org=town))
            for k in range(files):
                name, ctype, path, size, sha = stored[-1] if k == 0 else stored[k % len(blobs)]
                evidence.append(Evidence(task=tasks[k % len(tasks)], file=path, original_name=name, content_type=ctype,
                                         size=size, sha256=sha, uploaded_by=user))
                input_bytes += size
                n += 1
        Evidence.objects.bulk_create(evidence, batch_size=500)
    print(json.dumps({"villages": villages, "files": n, "input_bytes": input_bytes}))


def run(code: str, subtree: bool) -> None:
    """One binder job in this (fresh) process; prints its measurements."""
    setup_django()
    from accounts.models import OrgUnit, User
    from binders import services
    from binders.models import Binder
    from tasks.models import Evidence

    org = OrgUnit.objects.get(code=code)
    user = User.objects.get(username="staff")
    binder = Binder.objects.create(requested_by=user, org=org, year=2026, subtree=subtree)
    result = _measure(lambda: services.run_binder(binder.pk))
    binder.refresh_from_db()
    orgs = OrgUnit.objects.filter(path__startswith=org.path) if subtree else OrgUnit.objects.filter(pk=org.pk)
    input_bytes = sum(Evidence.objects.filter(task__org__in=orgs).values_list("size", flat=True))
    print(json.dumps({
        "org": code, "subtree": subtree, "status": binder.status, "error": binder.error,
        "pages": binder.pages, "files": binder.files_included, "left_out": len(binder.left_out),
        "input_mb": round(input_bytes / 2**20, 1), "zip_mb": round(binder.archive.size / 2**20, 1), **result,
    }))


def _measure(work) -> dict:
    """Run ``work()`` under tracemalloc; its wall time, the process's peak RSS and the heap's peak."""
    import resource
    import tracemalloc

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    t = time.perf_counter()
    out = work() or {}
    seconds = time.perf_counter() - t
    _cur, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {**out, "seconds": round(seconds, 2), "rss_before_mb": round(before / 1024, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "python_heap_peak_mb": round(heap_peak / 2**20, 1)}


def baseline(code: str, subtree: bool) -> None:
    """The bare minimum on the same files as the job for ``code`` (with ``subtree``, every org
    below it): per org a pypdf merge of its PDF evidence, and every evidence file into one zip."""
    setup_django()
    import zipfile

    from accounts.models import OrgUnit
    from tasks.models import Evidence

    top = OrgUnit.objects.get(code=code)
    orgs = list(OrgUnit.objects.filter(path__startswith=top.path).order_by("path")) if subtree else [top]
    per_org = {o.pk: list(Evidence.objects.filter(task__org=o, task__due_date__year=2026, removed_at__isnull=True)
                          .order_by("task_id", "id").values_list("file", "content_type")) for o in orgs}
    tmp = Path(tempfile.mkdtemp(prefix="qingdan-bench-base-"))
    media = Path(os.environ["QINGDAN_MEDIA_ROOT"])

    def work():
        from pypdf import PdfWriter

        pages = 0
        with zipfile.ZipFile(tmp / "bare.zip", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True) as zf:
            for org in orgs:
                writer = PdfWriter()
                for k, (name, ctype) in enumerate(per_org[org.pk]):
                    if ctype == "application/pdf":
                        writer.append(str(media / name), import_outline=False)
                    zf.write(media / name, f"{org.code}/{k:04d}-{Path(name).name}")
                if writer.pages:
                    out = tmp / f"{org.code}.pdf"
                    with open(out, "wb") as fh:
                        writer.write(fh)
                    pages += len(writer.pages)
                    zf.write(out, f"{org.code}/merged.pdf")
                    out.unlink()
                writer.close()
        return {"pages": pages, "zip_mb": round((tmp / "bare.zip").stat().st_size / 2**20, 1)}

    result = _measure(work)
    (tmp / "bare.zip").unlink()
    tmp.rmdir()
    print(json.dumps({"org": code, "subtree": subtree, "baseline": "pypdf merge + zip", **result}))


def main():
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=20)
    parser.add_argument("--files", type=int, default=50, help="evidence files per village")
    parser.add_argument("--inner", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        if args.inner[0] == "populate":
            return populate(int(args.inner[1]), int(args.inner[2]))
        if args.inner[0] == "baseline":
            return baseline(args.inner[1], args.inner[2] == "1")
        return run(args.inner[1], args.inner[2] == "1")
    with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as tmp:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "QINGDAN_ENV": "dev", "DJANGO_DEBUG": "false",
               "QINGDAN_VAR_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "QINGDAN_MEDIA_ROOT": f"{tmp}/media",
               "CELERY_BROKER_URL": "memory://", "QINGDAN_LOG_LEVEL": "WARNING"}
        env.pop("REDIS_URL", None)
        py = [sys.executable, __file__, "--inner"]
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
        out = subprocess.run([*py, "populate", str(args.villages), str(args.files)], env=env, cwd=ROOT,
                             capture_output=True, text=True)
        sys.stderr.write(out.stderr)
        out.check_returncode()
        print("inputs:", out.stdout.strip())

        def inner(*argv) -> dict:
            res = subprocess.run([*py, *argv], env=env, check=True, cwd=ROOT, capture_output=True, text=True)
            line = res.stdout.strip().splitlines()[-1]
            print(line)
            return json.loads(line)

        jobs = []
        for label, code, subtree in (("one village", "T1-V01", "0"), (f"the town with its {args.villages} villages", "T1", "1")):
            jobs.append((label, inner("baseline", code, subtree), inner("run", code, subtree)))
        print("ratios of each binder job to its baseline (a bare pypdf merge + zip of the same files, same run):")
        for label, base, res in jobs:
            print(f"  {label}: time ×{res['seconds'] / base['seconds']:.2f}, "
                  f"peak RSS ×{res['peak_rss_mb'] / base['peak_rss_mb']:.2f}, "
                  f"Python heap peak ×{res['python_heap_peak_mb'] / max(base['python_heap_peak_mb'], 0.1):.2f}")
        village, town = jobs[0][2], jobs[1][2]
        print(f"  town job / one village's job: peak RSS ×{town['peak_rss_mb'] / village['peak_rss_mb']:.2f}, "
              f"input ×{town['input_mb'] / village['input_mb']:.1f}")


if __name__ == "__main__":
    main()
