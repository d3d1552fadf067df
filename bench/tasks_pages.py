"""Benchmark: the work pages (我的任务, review queue, progress, task list) on the 20 × 20 county with a year of tasks.

    .venv/bin/python bench/tasks_pages.py [--requests 40] [--pg postgres://…] [--keep DIR]

Builds a throwaway database (SQLite in a temp dir by default, or the PostgreSQL URL
given), migrates, runs ``generate_county --towns 20 --villages-per-town 20``, loads and
publishes the default duty lists of this year and generates the whole year of tasks
(past periods included); marks every other past-due village task as submitted so the
review queues are full. Then, in one process through the Django test client (all
middleware, sessions, auth), measures per request:

* a hello-world view (the baseline, same middleware stack);
* 我的任务 of a town 纪委书记;
* the review queue of that town 纪委书记;
* the progress page of county staff (whole county);
* county staff's task list (``tasks:list``).

Prints ms/request, queries per page and throughput as a % of hello-world. The pages are
measured round-robin (one request to each in turn; under gunicorn, several short rounds)
so a burst of load from elsewhere on the machine hits every page alike. ``--keep DIR``
with ``--pg URL`` reuses a county already built in that database.
Targets: ≤ 10 queries per page, ≥ 30 % of hello-world throughput.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    args = arguments(port=55502)
    tmp = start(args, "qd-bench-tasks-")
    try:
        run(args, tmp)
    finally:
        finish(args, tmp)


def arguments(port: int):
    """The options of the work-page benchmarks (this one and bench/api.py)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=40)
    ap.add_argument("--pg", default="")
    ap.add_argument("--keep", default="")
    ap.add_argument("--gunicorn-seconds", type=float, default=8.0, help="per page; 0 skips the gunicorn run")
    ap.add_argument("--gunicorn-rounds", type=int, default=4, help="the pages take turns in this many rounds")
    ap.add_argument("--port", type=int, default=port)
    return ap.parse_args()


def start(args, prefix: str) -> Path:
    """The settings from the environment (a temp dir's SQLite, or ``--pg``), Django set up."""
    tmp = Path(args.keep or tempfile.mkdtemp(prefix=prefix))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = args.pg or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["QINGDAN_VAR_DIR"] = str(tmp)
    os.environ["QINGDAN_ENV"] = "dev"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    return tmp


def finish(args, tmp):
    if not args.keep and not args.pg:
        shutil.rmtree(tmp, ignore_errors=True)


def build():
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from responsibilities.loading import load_default_lists
    from responsibilities.models import Checklist
    from tasks.generation import generate_year
    from tasks.models import Task

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    t1 = time.perf_counter()
    if Task.objects.exists():  # --keep / --pg of an already built county: reuse it
        print(f"{connection.vendor}: reusing the county already in the database ({Task.objects.count():,} tasks)")
        return
    call_command("generate_county", towns=20, villages_per_town=20, verbosity=0)
    t2 = time.perf_counter()
    year = timezone.localdate().year
    load_default_lists(year)
    Checklist.objects.filter(year=year).update(status="published", published_at=timezone.now())
    created = generate_year(year, include_past=True)
    today = timezone.localdate()
    past = list(Task.objects.filter(org__kind="village", due_date__lt=today).values_list("pk", flat=True)[::2])
    Task.objects.filter(pk__in=past).update(status="submitted", note="已完成", completed_on=today, submitted_at=timezone.now())
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # what autovacuum does soon after a bulk load anyway
            cur.execute("VACUUM ANALYZE")
    t3 = time.perf_counter()
    print(f"{connection.vendor}: migrate {t1 - t0:.1f} s, county {t2 - t1:.1f} s, {created:,} tasks of {year} in {t3 - t2:.1f} s; "
          f"{len(past):,} marked submitted")


def hello_urls():
    from django.http import HttpResponse
    from django.urls import include, path

    from django.shortcuts import render

    def hello(request):
        return HttpResponse("hello")

    def empty_page(request):
        return render(request, "base.html", {})

    mod = types.ModuleType("bench_tasks_urls")
    mod.urlpatterns = [path("__hello__/", hello, name="bench_hello"), path("__empty__/", empty_page, name="bench_empty"),
                       path("", include("config.urls"))]
    sys.modules[mod.__name__] = mod
    return mod.__name__


def measure_all(pages, n):
    """Queries and size of each page, then n rounds of one request to every page in turn
    (round-robin: a burst of load from elsewhere hits every page alike); median ms per page."""
    from django.db import connection

    out = []
    for _label, client, url in pages:
        r = client.get(url)  # warm-up
        assert r.status_code == 200, (url, r.status_code)
        seen = []

        def count(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            r = client.get(url)
        out.append([len(seen), len(r.content), []])
    for _ in range(n):
        for (_label, client, url), row in zip(pages, out):
            t = time.perf_counter()
            client.get(url)
            row[2].append(time.perf_counter() - t)
    return [(statistics.median(times) * 1000, q, size) for q, size, times in out]


def measure_table(pages, n, width=52) -> list:
    """``measure_all`` of ``pages`` (the first one the baseline), printed as a table;
    returns (label, ms, queries, bytes) for each page."""
    results = [(label, *m) for (label, _c, _u), m in zip(pages, measure_all(pages, n))]
    base = results[0][1]
    print(f"\n{'page':<{width}} {'ms/req':>8} {'queries':>8} {'KB':>6} {'% of hello':>10}")
    for label, ms, q, size in results:
        print(f"{label:<{width}} {ms:8.1f} {q:8d} {size / 1024:6.0f} {100 * base / ms:9.0f}%")
    return results


def run(args, tmp):
    from django.db.models import Count
    from django.test import override_settings

    from tests.twofactor import SecondFactorClient as SignedInClient  # force_login passes the second factor too
    from django.urls import reverse

    from accounts.models import Membership
    from tasks.models import Task

    build()
    town_disc = (Membership.objects.filter(role="discipline_secretary", org__kind="town").select_related("user", "org")
                 .order_by("org__path").first())
    staff = Membership.objects.filter(role="commission_staff").select_related("user").first()
    n_total = Task.objects.count()
    n_review = Task.objects.filter(review_org=town_disc.org, status="submitted").count()
    print(f"tasks in the county: {n_total:,}; awaiting {town_disc.org.name}'s review: {n_review}")
    print(Task.objects.filter(org=town_disc.org).values("bearer").annotate(n=Count("id")).order_by())

    with override_settings(ROOT_URLCONF=hello_urls(), DEBUG=False):
        town = SignedInClient()
        town.force_login(town_disc.user)
        county = SignedInClient()
        county.force_login(staff.user)
        pages = [
            ("hello-world (baseline)", town, "/__hello__/"),
            ("empty page on base.html (menu, badges: the floor)", town, "/__empty__/"),
            (f"my tasks — town 纪委书记 ({town_disc.user.username})", town, reverse("tasks:mine")),
            ("review queue — town 纪委书记", town, reverse("tasks:review_queue")),
            ("progress — county staff, whole county", county, reverse("tasks:progress")),
            ("task list — county staff", county, reverse("tasks:list")),
        ]
        measure_table(pages, args.requests)
    print("\ntargets: ≤ 10 queries per page; ≥ 30 % of hello-world throughput (single process, test client)")
    if args.gunicorn_seconds > 0:
        gunicorn_run(args, tmp, [(label, session_headers(c), url) for label, c, url in pages])


def session_headers(client) -> dict:
    """The headers a browser signed in as ``client``'s user sends."""
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}


URLS_MODULE = """
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path

def hello(request):
    return HttpResponse("hello")

def empty_page(request):
    return render(request, "base.html", {})

urlpatterns = [path("__hello__/", hello), path("__empty__/", empty_page), path("", include("config.urls"))]
"""


def gunicorn_run(args, tmp, pages):
    """The same pages under gunicorn (2 sync workers), 4 client threads, requests/s for each;
    ``pages``: (label, request headers, url)."""
    import http.client
    import subprocess
    import threading

    (tmp / "bench_gunicorn_urls.py").write_text(URLS_MODULE)
    (tmp / "bench_gunicorn_settings.py").write_text("from config.settings import *  # noqa\nROOT_URLCONF = 'bench_gunicorn_urls'\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_gunicorn_settings", "PYTHONPATH": f"{tmp}:{ROOT}"}
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{args.port}",
         "--log-level", "warning"], cwd=str(ROOT), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
                c.request("GET", "/__hello__/")
                c.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        totals = {label: [0, 0, 0.0] for label, _headers, _url in pages}  # done, errors, seconds
        rounds = max(1, args.gunicorn_rounds)
        for _ in range(rounds):  # pages in turn, several short rounds: outside load hits all alike
            for label, page_headers, url in pages:
                headers = {**page_headers, "Host": "127.0.0.1"}
                done, errors, stop = [0], [0], time.perf_counter() + args.gunicorn_seconds / rounds

                def worker():
                    while time.perf_counter() < stop:
                        c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
                        c.request("GET", url, headers=headers)
                        r = c.getresponse()
                        r.read()
                        if r.status == 200:
                            done[0] += 1
                        else:
                            errors[0] += 1
                        c.close()

                threads = [threading.Thread(target=worker) for _ in range(4)]
                t0 = time.perf_counter()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                tot = totals[label]
                tot[0], tot[1], tot[2] = tot[0] + done[0], tot[1] + errors[0], tot[2] + time.perf_counter() - t0
        rows = [(label, d / secs, e) for label, (d, e, secs) in totals.items()]
        base = rows[0][1]
        print(f"\ngunicorn, 2 sync workers, 4 client threads, {args.gunicorn_seconds:.0f} s per page in {rounds} rounds (same machine)")
        print(f"{'page':<52} {'req/s':>8} {'errors':>7} {'% of hello':>10}")
        for label, rps, err in rows:
            print(f"{label:<52} {rps:8.1f} {err:7d} {100 * rps / base:9.0f}%")
        return {label: rps for label, rps, _err in rows}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
