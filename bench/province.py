"""Benchmark: the same pages on the 20 × 20 county (≈136 000 tasks) and on a province
(N such counties under one root; 73 give ≈10 million tasks), in one run.

    .venv/bin/python bench/province.py --pg postgres://postgres@127.0.0.1:PORT/postgres \\
        [--counties 73] [--county-db NAME] [--province-db NAME] [--runs 7]

Each database is created and filled the first time (county: ``generate_county`` then
``generate_province --tasks-only --code B``; province: ``generate_province --counties N``,
five years of tasks by COPY) and reused by later runs under the same name (``--county-db``,
``--province-db``; drop them yourself when done).

Then, in a process per database through the Django test client (all middleware, a signed-in
session), the best (and median) of ``--runs`` requests of each page, the two processes taking
turns request by request so that load from elsewhere falls on both alike — the dashboard, progress, 我的任务,
the review queue and the task list (unfiltered, and filtered to the org) — at the top of the
tree (county root / province root), at a county and at a town, each as a user of that level.
Printed per page: ms on the county, ms on the province, their ratio (target ≤ 1.5), and the
query counts (target ≤ 15). Finally the province dashboard's org table (as of today, this
year; each row with its colours, as the API gives it) and the page's total are checked,
figure by figure, against one raw SQL count over the tasks.
Not run by pytest.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "localhost"
# level → (county database: org code, username), (province database: org code, username)
LEVELS = {
    "top": (("B", "b_staff1"), ("P", "p_staff1")),
    "county": (("B", "b_staff1"), ("P01", "p01_staff1")),
    "town": (("B-T01", "bt01_disc"), ("P01-T01", "p01t01_disc")),
}
PAGES = ("dashboard", "progress", "mine", "review_queue", "list", "list_org")


def env_for(url, name):
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "QINGDAN_ENV": "dev", "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": HOST, "DATABASE_URL": f"{url.rsplit('/', 1)[0]}/{name}"}


def prepare(url, name, commands):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"[{name}] reused")
            return
        conn.execute(f'CREATE DATABASE "{name}"')
    env = env_for(url, name)
    manage = [sys.executable, str(ROOT / "manage.py")]
    t = time.perf_counter()
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    for cmd in commands:
        out = subprocess.run([*manage, *cmd], env=env, check=True, cwd=ROOT, capture_output=True, text=True).stdout
        print(f"[{name}] {' '.join(cmd)}: {out.strip().splitlines()[-1]}")
    print(f"[{name}] built in {time.perf_counter() - t:.0f} s", flush=True)


def inner(which: int) -> None:
    """Serve timing requests on stdin (one page key a line, e.g. ``town/list``), each answered by
    one JSON line on stdout: the server time (ms) and queries of one request of that page."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from tests.twofactor import SecondFactorClient as SignedInClient  # force_login passes the second factor too

    urls, clients = {}, {}
    for level, sides in LEVELS.items():
        code, username = sides[which]
        client = SignedInClient(HTTP_HOST=HOST)
        client.force_login(User.objects.get(username=username))
        clients[level] = client
        for page, url in {
            "dashboard": f"{reverse('reports:dashboard')}?org={code}",
            "progress": f"{reverse('tasks:progress')}?org={code}",
            "mine": reverse("tasks:mine"),
            "review_queue": reverse("tasks:review_queue"),
            "list": reverse("tasks:list"),
            "list_org": f"{reverse('tasks:list')}?org={code}",
        }.items():
            urls[f"{level}/{page}"] = url
    print(json.dumps({"keys": list(urls)}), flush=True)
    for line in sys.stdin:
        key = line.strip()
        if key == "_summary":
            from tasks.models import Task

            out = {"tasks": Task.objects.count()}
            if which == 1:
                out["equal"] = dashboard_equals_raw(LEVELS["top"][1][0])
            print(json.dumps(out), flush=True)
            continue
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = clients[key.split("/")[0]].get(urls[key])
            ms = (time.perf_counter() - t) * 1000
        assert response.status_code == 200, (key, response.status_code)
        print(json.dumps({"ms": ms, "queries": len(ctx.captured_queries)}), flush=True)


def dashboard_equals_raw(code) -> list:
    """The province dashboard's org table (this year, as of today; the rows with their colours,
    as the API counts them) and the page's (colours for the whole table only) against one raw
    SQL count over the tasks with the warning rule written out by hand: the differences (none:
    equal)."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from accounts.models import OrgUnit
    from reports.dashboard import compute, window_for

    root = OrgUnit.objects.get(code=code)
    today = timezone.localdate()
    w = window_for(today.year, None, None, today)
    data = compute(root, w, OrgUnit.objects.all(), row_colours=True)  # as the API counts: colours by row
    page = compute(root, w, OrgUnit.objects.all())  # as the page counts: colours for the whole table
    done = "t.status IN ('submitted','approved') AND t.completed_on IS NOT NULL AND t.completed_on <= %(a)s"
    approved = f"t.status = 'approved' AND t.approved_on IS NOT NULL AND t.approved_on <= %(a)s AND {done}"
    on_time = "t.completed_on <= t.due_date"
    figures = {
        "due": "t.due_date <= %(u)s",
        "done": f"t.due_date <= %(u)s AND {done}",
        "on_time": f"t.due_date <= %(u)s AND {done} AND {on_time}",
        "overdue_open": f"t.due_date <= %(u)s AND t.due_date < %(a)s AND NOT ({done})",
        "done_late": f"t.due_date <= %(u)s AND {done} AND NOT ({on_time})",
        "awaiting_review": "t.status = 'submitted'",
        "returned": "t.status = 'returned'",
        "extended": "t.extension_count > 0",
        "in_period": "TRUE",
        "colour_red": f"NOT ({done}) AND t.due_date < %(a)s",
        "colour_yellow": f"NOT ({done}) AND t.due_date >= %(a)s AND t.due_date <= %(a5)s",
        "colour_blue": f"({done} AND NOT ({approved}) AND {on_time}) OR (NOT ({done}) AND t.due_date > %(a5)s)",
        "colour_green": f"{approved} AND {on_time}",
        "colour_late": f"{done} AND NOT ({on_time})",
    }
    n = (root.depth + 1) * OrgUnit.steplen
    sums = ", ".join(f"count(*) FILTER (WHERE {cond})" for cond in figures.values())
    sql = (f"SELECT CASE WHEN o.id = %(root)s THEN o.path ELSE substr(o.path, 1, {n}) END, {sums} FROM tasks_task t "
           f"JOIN accounts_orgunit o ON o.id = t.org_id WHERE o.path LIKE %(like)s AND t.status <> 'cancelled' "
           f"AND t.due_date BETWEEN %(s)s AND %(e)s GROUP BY 1")
    params = {"root": root.pk, "like": root.path + "%", "s": w.start, "e": w.end, "u": w.due_until, "a": today,
              "a5": today + timedelta(days=5)}
    with connection.cursor() as cur:
        cur.execute(sql, params)
        raw = {r[0]: dict(zip(figures, r[1:])) for r in cur.fetchall()}
    diffs = []
    for row in [data["own"], *data["rows"]]:
        want = raw.get(row.org.path, dict.fromkeys(figures, 0))
        diffs += [f"{row.org.code} {k}: page {row.counts[k]} ≠ SQL {v}" for k, v in want.items() if row.counts[k] != v]
    want = {k: sum(r[k] for r in raw.values()) for k in figures}
    diffs += [f"page total {k}: {page['total'].counts[k]} ≠ SQL {v}" for k, v in want.items() if page["total"].counts[k] != v]
    diffs += [f"page {r.org.code} {k}: {r.counts[k]} ≠ {d.counts[k]}" for r, d in zip([page["own"], *page["rows"]], [data["own"], *data["rows"]])
              for k in r.counts if r.counts[k] != d.counts[k]]
    return diffs or [f"equal: {len(data['rows']) + 1} rows × {len(figures)} figures and the page's total, "
                     f"{sum(r['in_period'] for r in raw.values()):,} tasks this year"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", default="", help="postgres://… of the server (any database on it)")
    ap.add_argument("--counties", type=int, default=73)
    ap.add_argument("--county-db", default="qingdan_bench_county")
    ap.add_argument("--province-db", default="qingdan_bench_province")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--inner", type=int, default=-1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner >= 0:
        inner(args.inner)
        return
    if not args.pg:
        ap.error("--pg is required")
    prepare(args.pg, args.county_db, [["generate_county"], ["generate_province", "--tasks-only", "--code", "B"]])
    prepare(args.pg, args.province_db, [["generate_province", "--counties", str(args.counties)]])
    procs = [subprocess.Popen([sys.executable, __file__, "--inner", str(which)], env=env_for(args.pg, name), cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for which, name in enumerate((args.county_db, args.province_db))]

    def ask(proc, line):
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        answer = proc.stdout.readline()
        if not answer:
            sys.exit(f"a measuring process ended (exit {proc.wait()})")
        return json.loads(answer)

    keys = [json.loads(p.stdout.readline())["keys"] for p in procs][0]
    # each request of a page on the county, then the same on the province, then the next page, and
    # the whole round ``--runs`` times: load from other processes falls on both databases alike
    times = {key: ([], []) for key in keys}
    queries = {}
    for _r in range(args.runs):
        for key in keys:
            for which, proc in enumerate(procs):
                answer = ask(proc, key)
                times[key][which].append(answer["ms"])
                queries[key, which] = answer["queries"]
    county, province = (ask(p, "_summary") for p in procs)
    for p in procs:
        p.stdin.close()
        p.wait()
    print(f"\ncounty: {county['tasks']:,} tasks · province: {province['tasks']:,} tasks "
          f"({province['tasks'] / county['tasks']:.0f}×); best of {args.runs} alternated requests (median)\n")
    print(f"{'page':<22}{'county ms':>16}{'province ms':>18}{'ratio':>7}{'queries':>10}")
    worst = 0.0
    for key in keys:
        c, p = (sorted(ts) for ts in times[key])
        ratio = p[0] / c[0]
        worst = max(worst, ratio)
        flag = "" if ratio <= 1.5 and queries[key, 1] <= 15 else "  ✗"
        print(f"{key:<22}{c[0]:>8.1f} ({c[len(c) // 2]:>5.1f}){p[0]:>10.1f} ({p[len(p) // 2]:>5.1f}){ratio:>7.2f}"
              f"{queries[key, 0]:>5}/{queries[key, 1]:<4}{flag}")
    print(f"\nworst ratio {worst:.2f} (target ≤ 1.5); dashboard vs raw SQL: " + "; ".join(province["equal"]))


if __name__ == "__main__":
    main()
