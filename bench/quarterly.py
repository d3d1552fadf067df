"""Benchmark: the quarterly workbook on the 20 × 20 county.

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

import io
import time
import tracemalloc

import backends
from dashboard import populate_year

RUNS = 7


def inner(label):
    year = populate_year(label)
    from datetime import date

    import time_machine
    from openpyxl import Workbook

    from reports.workbook import build_quarterly
    from tasks.figures import figure_q
    from tasks.models import Task

    with time_machine.travel(date(year, 10, 10), tick=True):
        from reports.dashboard import window_for

        w = window_for(year, 3, None, date(year, 10, 10))

        from django.db.models import Count
        from django.db.models.functions import Substr

        from accounts.models import OrgUnit
        from reports import workbook as wbmod
        from assessment.scoring import org_scores
        from tasks.figures import window_q

        ours = {"汇总", "逾期明细", "事项完成情况"}
        others = [(name, builder) for name, (_o, builder) in sorted(wbmod._SHEETS.items(), key=lambda kv: kv[1][0]) if name not in ours]
        print(f"[{label}] sheets registered by other apps (dumped bare from their builders' rows): {[n for n, _b in others] or 'none'}")

        bare_bytes = []

        def bare():
            """The same rows, fetched plainly (values_list / grouped values) and appended unstyled."""
            wb = Workbook(write_only=True)
            step = OrgUnit.steplen
            counts = {k: Count("pk", filter=figure_q(k, w)) for k in ("due", "on_time", "done_late", "done")}
            tasks = Task.objects.filter(window_q(w))
            orgs = list(OrgUnit.objects.filter(depth__in=(2, 3)).order_by("kind", "path").values_list("id", "name", "kind", "path", "depth"))
            by_p = {}  # grouped by village prefix once, summed up to the towns (as build_quarterly does)
            for p, *v in (tasks.annotate(p=Substr("org__path", 1, 3 * step)).values("p").annotate(**counts)
                          .order_by().values_list("p", *counts)):
                if len(p) > 2 * step:
                    by_p[p] = v
                top = by_p.setdefault(p[:2 * step], [0] * len(v))
                for i, x in enumerate(v):
                    top[i] += x
            scores = org_scores(year, [o[0] for o in orgs], as_of=date(year, 10, 10))
            ws = wb.create_sheet("汇总")
            ws.append(["单位", "类别", "应完成", "按时完成", "逾期完成", "未完成", "完成率", "得分"])

            def line(o):
                due, on_time, late, done = by_p.get(o[3], (0, 0, 0, 0))
                return [o[1], o[2], due, on_time, late, due - done, done / due if due else None, scores[o[0]].score]

            tops = [o for o in orgs if o[4] == 2]
            subs = [o for o in orgs if o[4] == 3]
            for t in tops:
                ws.append(line(t))
                for v in subs:
                    if v[3].startswith(t[3]):
                        ws.append(line(v))
            ws2 = wb.create_sheet("逾期明细")
            ws2.append(["单位", "事项", "责任主体", "截止日期", "完成日期", "逾期天数", "状态", "最近记录"])
            for org, title, bearer, due, completed, status, note in (
                    Task.objects.filter(figure_q("overdue_open", w) | figure_q("done_late", w)).order_by("org__path", "due_date", "id")
                    .values_list("org__name", "title", "bearer", "due_date", "completed_on", "status", "note").iterator(chunk_size=2000)):
                done = completed is not None and status in ("submitted", "approved") and completed <= w.as_of
                ws2.append([org, title, bearer, due, completed if done else None, ((completed if done else w.as_of) - due).days,
                            "逾期完成" if done else "逾期未完成", note])
            ws3 = wb.create_sheet("事项完成情况")
            ws3.append(["事项", "责任类别", "单位数", "应完成", "按时完成", "逾期完成", "未完成", "完成率"])
            for title, cat, n_orgs, due, on_time, late, done in (
                    tasks.values("source_type_id", "source_id", "title", "category")
                    .annotate(orgs=Count("org", distinct=True), **counts).order_by("category", "title", "source_id")
                    .values_list("title", "category", "orgs", *counts)):
                ws3.append([title, cat, n_orgs, due, on_time, late, due - done, done / due if due else None])
            ctx = wbmod.Context(None, year, 3, OrgUnit.objects.get_root_nodes().first(), OrgUnit.objects.all(), w, date(year, 10, 10))
            for name, builder in others:
                table = builder(ctx)
                if table is not None:
                    ws4 = wb.create_sheet(name[:31])
                    ws4.append([c.header for c in table.columns])
                    for r in table.rows:
                        ws4.append(list(r))
            out = io.BytesIO()
            wb.save(out)
            bare_bytes[:] = [out.getvalue()]
            return len(out.getvalue())

        # django-import-export's default export (a ModelResource of Task, every field, as xlsx) of
        # the task rows of the workbook: the overdue tasks of 逾期明细. The other sheets are
        # aggregates, not model rows, so import-export does less here than build_quarterly.
        from import_export.formats.base_formats import XLSX
        from import_export.resources import modelresource_factory

        def default_export():
            qs = Task.objects.filter(figure_q("overdue_open", w) | figure_q("done_late", w))
            dataset = modelresource_factory(Task)().export(queryset=qs)
            return len(dataset), XLSX().export_data(dataset)

        def quarterly():
            return build_quarterly(None, year, 3)

        # interleaved (bare, ours, import-export) × RUNS, best of each: load from other processes
        # on this shared machine falls on all three alike
        fns = {"bare": bare, "ours": quarterly, "ie": default_export}
        times = {k: [] for k in fns}
        out = {k: f() for k, f in fns.items()}  # warm-up
        cpu = {k: [] for k in fns}  # this process's CPU time: the Python side, without waiting for PostgreSQL
        for _i in range(RUNS):
            for k, f in fns.items():
                t, c = time.perf_counter(), time.process_time()
                out[k] = f()
                times[k].append(time.perf_counter() - t)
                cpu[k].append(time.process_time() - c)
        baseline, elapsed, ie = (min(times[k]) for k in fns)
        size, content, (n_ie, data_ie) = out["bare"], out["ours"], out["ie"]
        # the same rows: every sheet's text and numbers compared (the bare dump has its header on row 1)
        from openpyxl import load_workbook

        theirs, ours_wb = load_workbook(io.BytesIO(bare_bytes[-1]), read_only=True), load_workbook(io.BytesIO(content), read_only=True)
        OURS = ("汇总", "逾期明细", "事项完成情况")
        compared = {}
        for name in OURS:  # other apps' sheets: their builder's own rows on both sides
            a = [r for r in theirs[name].iter_rows(min_row=2, values_only=True)]
            b = [r for r in ours_wb[name].iter_rows(min_row=4, values_only=True)]
            assert len(a) == len(b), (name, len(a), len(b))
            compared[name] = len(a)
            for ra, rb in zip(a, b):
                for x, y in zip(ra, rb):
                    if isinstance(x, (int, float)) and not isinstance(x, bool):
                        assert y is not None and abs(x - y) < 1e-9, (name, ra, rb)
        print(f"[{label}] same rows: {', '.join(f'{n} {k}' for n, k in compared.items())} (numbers compared cell by cell)")
        print(f"[{label}] baseline: bare write-only dump of the same rows: {baseline * 1000:.0f} ms ({size:,} bytes)")
        tracemalloc.start()
        quarterly()
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        ratio = elapsed / baseline
        print(f"[{label}] build_quarterly: {elapsed * 1000:.0f} ms ({len(content):,} bytes), {ratio:.2f}× the bare dump "
              f"(target ≤ 1.3×: {'PASS' if ratio <= 1.3 else 'FAIL'}); peak Python memory {peak / 2**20:.1f} MB "
              f"(target ≤ 100 MB: {'PASS' if peak <= 100 * 2**20 else 'FAIL'})")
        speedup = ie / elapsed
        print(f"[{label}] django-import-export default export of the {n_ie:,} overdue task rows: {ie * 1000:.0f} ms "
              f"({len(data_ie):,} bytes); build_quarterly (all sheets) is {speedup:.2f}× faster "
              f"(target ≥ 2.5×: {'PASS' if speedup >= 2.5 else 'FAIL'})")
        from statistics import median

        med = {k: median(v) for k, v in times.items()}
        print(f"[{label}] medians: build_quarterly {med['ours'] / med['bare']:.2f}× the bare dump, "
              f"{med['ie'] / med['ours']:.2f}× faster than import-export")
        print(f"[{label}] Python CPU time (best): bare {min(cpu['bare']) * 1000:.0f} ms, build_quarterly "
              f"{min(cpu['ours']) * 1000:.0f} ms, import-export {min(cpu['ie']) * 1000:.0f} ms")
        print(f"[{label}] all runs (ms): " + "; ".join(f"{k} " + " ".join(f"{t * 1000:.0f}" for t in v) for k, v in times.items()))


if __name__ == "__main__":
    backends.main(__file__, inner)
