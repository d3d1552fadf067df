"""Benchmark: the reports dashboard on the 20 × 20 county.

    .venv/bin/python bench/dashboard.py                                   # SQLite (fresh file in a temp dir)
    .venv/bin/python bench/dashboard.py --pg postgres://postgres@127.0.0.1:PORT/postgres [--keep DBNAME]

Fresh database (or with --keep, one populated by an earlier run and reused):
migrate, ``manage.py generate_county --towns 20 --villages-per-town 20``, the default
lists of the last five years published (every period; ≈136 000 tasks), each year
"worked" (60 % on time, 20 % late, 10 % awaiting review, the rest open).

* baseline: ONE raw SQL statement computing the same figures as the org table (due,
  done, on time, overdue open, done late, awaiting review, returned, extended AND the
  five 蓝黄红绿 colour counts the page shows) grouped by the town / department path
  prefix, for Q3 as of 20 Sep; every number is checked against the dashboard's;
* page baseline: the raw SQL of everything the page shows (figures + colours by org,
  month and category, summed up; the most-often-late items);
* dashboard: ``reports.dashboard.compute`` (figures only, then everything; timed alternately with
  the baselines, so load from other processes falls on both alike) and the
  full page through the test client, with query counts. Targets: ≤ 15 queries;
  server time ≤ 2× the raw SQL.
Not run by pytest.
"""

import time

import backends
from backends import HOST

RUNS = 9


YEARS = 5


def setup_django():
    import django

    django.setup()


def populate_year(label):
    """Publish the default lists of the last YEARS years (this one included) and work
    them; returns this year. A database already populated (``--keep``) is reused."""
    setup_django()
    from datetime import date

    from django.db.models import F
    from django.utils import timezone

    from responsibilities import services
    from responsibilities.loading import load_default_lists
    from responsibilities.models import Checklist
    from tasks.models import Task

    year = timezone.localdate().year
    if Task.objects.filter(due_date__year=year - YEARS + 1).exists() and Task.objects.filter(due_date__year=year).exists():
        print(f"[{label}] reusing {Task.objects.count():,} tasks already published and worked")
        return year
    t = time.perf_counter()
    from responsibilities.defaults import HOLIDAYS
    from responsibilities.models import Holiday

    for y in range(year - YEARS + 1, year + 1):
        load_default_lists(y)
        if y not in HOLIDAYS:  # bench only: past years' holidays approximated by this year's dates
            for name, day in HOLIDAYS[max(HOLIDAYS)].items():
                Holiday.objects.get_or_create(year=y, name=name, defaults={"date": day.replace(year=y)})
        for c in Checklist.objects.filter(year=y):
            services.publish(c, None, include_past=True)
        ids = list(Task.objects.filter(due_date__year=y).values_list("id", flat=True))
        groups = {
            "on_time": ([i for i in ids if i % 10 < 6], dict(status="approved", completed_on=F("due_date"), approved_on=F("due_date"))),
            "late": ([i for i in ids if i % 10 in (6, 7)], dict(status="approved", completed_on=date(y, 12, 31), approved_on=date(y, 12, 31))),
            "waiting": ([i for i in ids if i % 10 == 8], dict(status="submitted", completed_on=F("due_date"))),
        }
        for chunk_ids, values in groups.values():
            for n in range(0, len(chunk_ids), 5000):
                Task.objects.filter(id__in=chunk_ids[n:n + 5000]).update(**values)
        print(f"[{label}] {y}: {len(ids):,} tasks published and worked ({time.perf_counter() - t:.0f} s so far)", flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    print(f"[{label}] {Task.objects.count():,} tasks over {YEARS} years published and worked in {time.perf_counter() - t:.1f} s")
    return year


def inner(label):
    year = populate_year(label)
    from datetime import date, timedelta

    from django.db import connection
    from tests.twofactor import SecondFactorClient as SignedInClient  # force_login passes the second factor too
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import OrgUnit, User
    from reports.dashboard import compute, window_for

    root = OrgUnit.objects.get_root_nodes().first()
    as_of = date(year, 9, 20)
    w = window_for(year, 3, None, as_of)
    n = (root.depth + 1) * OrgUnit.steplen
    # The figures AND the five colour counts the page shows (the colour rule of tasks.warnings
    # written out by hand), over the window's tasks only.
    done = "t.status IN ('submitted','approved') AND t.completed_on IS NOT NULL AND t.completed_on <= %(a)s"
    approved = f"t.status = 'approved' AND t.approved_on IS NOT NULL AND t.approved_on <= %(a)s AND {done}"
    sums = f"""
          SUM(CASE WHEN t.due_date <= %(u)s THEN 1 ELSE 0 END) AS due,
          SUM(CASE WHEN t.due_date <= %(u)s AND {done} THEN 1 ELSE 0 END) AS done,
          SUM(CASE WHEN t.due_date <= %(u)s AND {done} AND t.completed_on <= t.due_date THEN 1 ELSE 0 END) AS on_time,
          SUM(CASE WHEN t.due_date < %(a)s AND t.due_date <= %(u)s AND NOT ({done}) THEN 1 ELSE 0 END),
          SUM(CASE WHEN t.due_date <= %(u)s AND {done} AND t.completed_on > t.due_date THEN 1 ELSE 0 END),
          SUM(CASE WHEN t.status = 'submitted' THEN 1 ELSE 0 END),
          SUM(CASE WHEN t.status = 'returned' THEN 1 ELSE 0 END),
          SUM(CASE WHEN t.extension_count > 0 THEN 1 ELSE 0 END),
          COUNT(*),
          SUM(CASE WHEN NOT ({done}) AND t.due_date < %(a)s THEN 1 ELSE 0 END),
          SUM(CASE WHEN NOT ({done}) AND t.due_date >= %(a)s AND t.due_date <= %(a5)s THEN 1 ELSE 0 END),
          SUM(CASE WHEN ({done} AND NOT ({approved}) AND t.completed_on <= t.due_date)
                     OR (NOT ({done}) AND t.due_date > %(a5)s) THEN 1 ELSE 0 END),
          SUM(CASE WHEN {approved} AND t.completed_on <= t.due_date THEN 1 ELSE 0 END),
          SUM(CASE WHEN {done} AND t.completed_on > t.due_date THEN 1 ELSE 0 END)"""
    where = "WHERE t.status <> 'cancelled' AND t.due_date >= %(s)s AND t.due_date <= %(e)s"
    sql = f"SELECT substr(o.path, 1, {n}) AS p, {sums} FROM tasks_task t JOIN accounts_orgunit o ON o.id = t.org_id {where} GROUP BY p"
    params = {"s": w.start, "e": w.end, "u": w.due_until, "a": w.as_of, "a5": w.as_of + timedelta(days=5)}
    # What the whole page computes, as the dashboard does it (one grouped statement for org table,
    # trend and categories, summed up; one for the most-often-late items).
    month = "date_trunc('month', t.due_date)::date" if connection.vendor == "postgresql" else "strftime('%%Y-%%m-01', t.due_date)"
    sql_page = (f"SELECT substr(o.path, 1, {n}) AS p, {month} AS m, t.category, {sums} "
                f"FROM tasks_task t JOIN accounts_orgunit o ON o.id = t.org_id {where} GROUP BY 1, 2, 3")
    sql_late = (f"SELECT t.title, COUNT(*) AS n FROM tasks_task t {where} AND t.due_date <= %(u)s AND "
                f"((t.due_date < %(a)s AND NOT ({done})) OR ({done} AND t.completed_on > t.due_date)) "
                "GROUP BY t.title ORDER BY n DESC, t.title LIMIT 10")

    def raw():
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    def raw_page():
        with connection.cursor() as cur:
            cur.execute(sql_page, params)
            orgs, months, cats = {}, {}, {}
            for p, m, c, *v in cur.fetchall():
                for into, key in ((orgs, p), (months, m), (cats, c)):
                    acc = into.setdefault(key, [0] * len(v))
                    for i, x in enumerate(v):
                        acc[i] += x
            cur.execute(sql_late, params)
            return orgs, months, cats, cur.fetchall()

    scope = OrgUnit.objects.all()
    raw(), raw_page(), compute(root, w, scope)  # warm up
    timed = backends.alternate(
        RUNS, raw=raw, raw_page=raw_page, compute=lambda: compute(root, w, scope),
        figures=lambda: compute(root, w, scope, charts=False))
    (baseline, baseline_med, rows), (baseline_page, page_med, page_numbers) = timed["raw"], timed["raw_page"]
    late = page_numbers[3]
    (elapsed, elapsed_med, data), (figures_only, figures_med, fig) = timed["compute"], timed["figures"]
    print(f"[{label}] timed alternately, best of {RUNS} (medians in brackets)")
    print(f"[{label}] baseline: one raw SQL (9 figures + 5 colours) over {len(rows)} groups: {baseline * 1000:.1f} ms "
          f"({baseline_med * 1000:.1f})")
    print(f"[{label}] baseline of the page's numbers (figures + colours by org/month/category, summed; late items): "
          f"{baseline_page * 1000:.1f} ms ({page_med * 1000:.1f})")
    # the raw SQL must compute the same figures: check every number
    by_prefix = {r[0]: list(r[1:]) for r in rows}
    for row in fig["rows"]:
        got = [row.counts[k] for k in data["rows"][0].counts]
        want = [int(x) for x in by_prefix.get(row.org.path, [0] * len(got))]
        assert got == want, (row.org.code, got, want)
    assert [(t, k) for t, k in late] == [(i["title"], i["n"]) for i in data["late_items"]]
    print(f"[{label}] figures and org table only (the part the one raw SQL computes, same numbers checked): "
          f"{figures_only * 1000:.1f} ms ({figures_med * 1000:.1f}), {figures_only / baseline:.2f}× the raw SQL "
          f"(medians {figures_med / baseline_med:.2f}×; target ≤ 2×: "
          f"{'PASS' if figures_only <= 2 * baseline else 'FAIL'})")
    with CaptureQueriesContext(connection) as q:
        compute(root, w, scope)
    ratio = elapsed / baseline_page
    print(f"[{label}] reports.dashboard.compute (everything the page shows): {elapsed * 1000:.1f} ms "
          f"({elapsed_med * 1000:.1f}), {len(q.captured_queries)} queries, {len(data['rows'])} rows; {ratio:.2f}× the "
          f"page's raw SQL (medians {elapsed_med / page_med:.2f}×; "
          f"target ≤ 2×: {'PASS' if ratio <= 2 else 'FAIL'})")
    # its own superuser (generate_county's admin must change its password first: a 302)
    staff, _c = User.objects.update_or_create(
        username="bench_su", defaults={"is_superuser": True, "is_staff": True, "must_change_password": False,
                                       "password_changed_at": timezone.now()})
    client = SignedInClient(HTTP_HOST=HOST)
    client.force_login(staff)
    url = reverse("reports:dashboard") + f"?year={year}&quarter=3&as_of={as_of}"
    first = client.get(url)
    assert first.status_code == 200, (first.status_code, first.get("Location"))
    page, _r = backends.best(lambda: client.get(url), RUNS)
    with CaptureQueriesContext(connection) as q:
        client.get(url)
    print(f"[{label}] dashboard page (request → HTML, session/auth/scope/template included): {page * 1000:.1f} ms, "
          f"{len(q.captured_queries)} queries (target ≤ 15: {'PASS' if len(q.captured_queries) <= 15 else 'FAIL'}); "
          f"{page / baseline_page:.2f}× the page's raw SQL")
    # the 约谈 flags, fetched by htmx after the page (assessment.scoring.interview_flags: two years scored)
    flags_url = url + "&part=flags"
    assert client.get(flags_url).status_code == 200
    flags, _r = backends.best(lambda: client.get(flags_url), 3)
    with CaptureQueriesContext(connection) as q:
        client.get(flags_url)
    print(f"[{label}] 约谈 flags part (separate request after the page): {flags * 1000:.1f} ms, {len(q.captured_queries)} queries")


if __name__ == "__main__":
    backends.main(__file__, inner)
