"""Benchmark: the quarterly workbook on the 20 × 20 county (issue 6).

    .venv/bin/python bench/quarterly.py             # SQLite (fresh file in a temp dir)

Same county and worked year as bench/dashboard.py. Compared in the same run:
* baseline: a bare openpyxl write-only dump of the same rows (汇总 per org,
  逾期明细 per overdue task, 事项完成情况 per item) fetched with plain values();
* ``reports.workbook.build_quarterly(None, year, 3)`` with its peak Python memory
  (tracemalloc). Targets: ≤ 1.3× the bare dump; peak ≤ 100 MB.
* django-import-export's default export (ModelResource of Task, xlsx) of the overdue
  task rows. Target: build_quarterly ≥ 2.5× faster.
PostgreSQL: ``--pg URL [--keep DBNAME]`` as bench/dashboard.py (five years of tasks).
Not run by pytest.
"""

import importlib.util
import io
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("bench_dashboard", HERE / "dashboard.py")
common = importlib.util.module_from_spec(spec)
spec.loader.exec_module(common)


def inner(label):
    year = common.populate_year(label)
    from datetime import date

    import time_machine
    from openpyxl import Workbook

    from reports.workbook import build_quarterly
    from tasks.figures import figure_q
    from tasks.models import Task

    with time_machine.travel(date(year, 10, 10), tick=True):
        from reports.dashboard import window_for

        w = window_for(year, 3, None, date(year, 10, 10))

        def bare():
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("汇总")
            for r in Task.objects.filter(figure_q("due", w)).values_list("org_id", "status", "due_date", "completed_on").iterator(chunk_size=5000):
                pass  # the summary's inputs (a dump would aggregate in SQL; this is fetching only)
            ws2 = wb.create_sheet("逾期明细")
            for r in (Task.objects.filter(figure_q("overdue_open", w) | figure_q("done_late", w))
                      .values_list("org__name", "title", "bearer", "due_date", "completed_on", "status", "note").iterator(chunk_size=5000)):
                ws2.append(list(r))
            ws3 = wb.create_sheet("事项完成情况")
            for r in Task.objects.filter(figure_q("due", w)).values_list("title", "category").distinct():
                ws3.append(list(r))
            out = io.BytesIO()
            wb.save(out)
            return len(ws.title) + len(out.getvalue())

        bare()
        baseline, size = common.best(bare, runs=3)
        print(f"[{label}] baseline: bare write-only dump: {baseline * 1000:.0f} ms ({size:,} bytes)")
        build_quarterly(None, year, 3)
        elapsed, content = common.best(lambda: build_quarterly(None, year, 3), runs=3)
        tracemalloc.start()
        build_quarterly(None, year, 3)
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        ratio = elapsed / baseline
        print(f"[{label}] build_quarterly: {elapsed * 1000:.0f} ms ({len(content):,} bytes), {ratio:.2f}× the bare dump "
              f"(target ≤ 1.3×: {'PASS' if ratio <= 1.3 else 'FAIL'}); peak Python memory {peak / 2**20:.1f} MB "
              f"(target ≤ 100 MB: {'PASS' if peak <= 100 * 2**20 else 'FAIL'})")

        # django-import-export's default export (a ModelResource of Task, every field, as xlsx) of
        # the task rows of the workbook: the overdue tasks of 逾期明细. The other two sheets are
        # aggregates, not model rows, so import-export does less here than build_quarterly.
        from import_export.formats.base_formats import XLSX
        from import_export.resources import modelresource_factory

        def default_export():
            qs = Task.objects.filter(figure_q("overdue_open", w) | figure_q("done_late", w))
            dataset = modelresource_factory(Task)().export(queryset=qs)
            return len(dataset), XLSX().export_data(dataset)

        default_export()
        ie, (n_ie, data_ie) = common.best(default_export, runs=3)
        speedup = ie / elapsed
        print(f"[{label}] django-import-export default export of the {n_ie:,} overdue task rows: {ie * 1000:.0f} ms "
              f"({len(data_ie):,} bytes); build_quarterly (three sheets) is {speedup:.2f}× faster "
              f"(target ≥ 2.5×: {'PASS' if speedup >= 2.5 else 'FAIL'})")


def main():
    import argparse
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", metavar="URL")
    parser.add_argument("--keep", metavar="DBNAME", help="with --pg: keep (and reuse) the populated database of this name")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        return inner(args.inner)
    if args.pg:
        common.run_pg(args.pg, args.keep, __file__)
    else:
        with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as tmp:
            common.prepare("sqlite", {"QINGDAN_VAR_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}, __file__)


if __name__ == "__main__":
    main()
