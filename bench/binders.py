"""Benchmark: the 年度台账 binders of a town's villages (one job, one zip), peak memory
against the size of the inputs.

    .venv/bin/python bench/binders.py                       # 20 villages × 50 files (1,000 files)
    .venv/bin/python bench/binders.py --villages 5 --files 20

A fresh SQLite database and media folder in a temp dir (migrate once). Each village gets
10 tasks and ``--files`` evidence files: photos of ~0.3–1 MB (some tagged with an EXIF
rotation), one 20 MB photo, 6-page PDFs, Word files. Then, each in a fresh process so its
peak RSS (``resource.getrusage``) is the job's own:

* one village's binder;
* the town with every village below it (``subtree``: the same job the town asks for).

Reported: input bytes, output bytes, pages, wall time, peak RSS and the Python heap's
peak (tracemalloc). The claim measured: peak memory follows the largest single org's
binder, not the number of villages (every org's PDF is built, zipped and freed in turn).
Not run by pytest.
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
    from tasks.evidence import DOCX
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
    import resource
    import tracemalloc

    from accounts.models import OrgUnit, User
    from binders import services
    from binders.models import Binder

    org = OrgUnit.objects.get(code=code)
    user = User.objects.get(username="staff")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    binder = Binder.objects.create(requested_by=user, org=org, year=2026, subtree=subtree)
    tracemalloc.start()
    t = time.perf_counter()
    services.run_binder(binder.pk)
    seconds = time.perf_counter() - t
    _cur, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    binder.refresh_from_db()
    from tasks.models import Evidence

    orgs = OrgUnit.objects.filter(path__startswith=org.path) if subtree else OrgUnit.objects.filter(pk=org.pk)
    input_bytes = sum(Evidence.objects.filter(task__org__in=orgs).values_list("size", flat=True))
    print(json.dumps({
        "org": code, "subtree": subtree, "status": binder.status, "error": binder.error, "seconds": round(seconds, 1),
        "pages": binder.pages, "files": binder.files_included, "left_out": len(binder.left_out),
        "input_mb": round(input_bytes / 2**20, 1), "zip_mb": round(binder.archive.size / 2**20, 1),
        "rss_before_mb": round(before / 1024, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "python_heap_peak_mb": round(heap_peak / 2**20, 1),
    }))


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
        for code, subtree in (("T1-V01", False), ("T1", True)):
            res = subprocess.run([*py, "run", code, "1" if subtree else "0"], env=env, check=True, cwd=ROOT,
                                 capture_output=True, text=True)
            print(res.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
