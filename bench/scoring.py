"""Benchmark: scoring a year of the 20 × 20 county.

    .venv/bin/python bench/scoring.py                       # SQLite (fresh file in a temp dir)
    .venv/bin/python bench/scoring.py --pg postgres://postgres@127.0.0.1:55504/postgres
    .venv/bin/python bench/scoring.py --sqlite --pg URL     # both

Each backend runs in its own process on a fresh database: migrate,
``manage.py generate_county --towns 20 --villages-per-town 20``, the shipped
default lists published for this year (every period, past and future), then
the year is "worked": 60 % of tasks approved on time, 20 % approved late,
the rest left open or awaiting review; a few adjustments.

* baseline: ONE raw SQL aggregate of the same points (SUM of on-time and
  late points and of all points, GROUP BY org) — the floor of any scoring;
* scoring: ``assessment.scoring.org_scores(year, all orgs, as_of=31 Dec)``,
  with its query count.

The two are timed alternately (baseline, scoring, baseline, …, RUNS each) so
load from other processes falls on both alike; the ratio printed is best to
best, the median ratio beside it. Before timing, ``ANALYZE`` so
both run on fresh planner statistics: right after the bulk updates above the
statistics are whatever autovacuum happened to have done, and the plans (and
the ratio) changed from run to run.

Target: ≤ 3× the raw aggregate, bounded queries. Not run by pytest.
"""

import time

import backends

RUNS = 9




def inner(label: str) -> None:
    import django

    django.setup()
    from datetime import date
    from decimal import Decimal

    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import OrgUnit, User
    from assessment.models import Adjustment, ScoringRule
    from assessment.scoring import org_scores
    from responsibilities import services
    from responsibilities.loading import load_default_lists
    from responsibilities.models import Checklist
    from tasks.models import Task

    year = timezone.localdate().year
    load_default_lists(year)
    t = time.perf_counter()
    for c in Checklist.objects.filter(year=year):
        services.publish(c, None, include_past=True)
    print(f"[{label}] published {year}: {Task.objects.count():,} tasks in {time.perf_counter() - t:.1f} s")

    end = date(year, 12, 31)
    ScoringRule.objects.update_or_create(year=year, defaults={"late_share": Decimal("0.5"), "measure_late_deduction": Decimal("1")})
    ids = Task.objects.values_list("id", flat=True)
    on_time = [i for i in ids if i % 10 < 6]
    late = [i for i in ids if i % 10 in (6, 7)]
    waiting = [i for i in ids if i % 10 == 8]
    for chunk in range(0, len(on_time), 5000):
        Task.objects.filter(id__in=on_time[chunk:chunk + 5000]).update(
            status="approved", completed_on=F("period_start"), approved_on=F("period_start"))
    for chunk in range(0, len(late), 5000):
        Task.objects.filter(id__in=late[chunk:chunk + 5000]).update(status="approved", completed_on=end, approved_on=end)
    for chunk in range(0, len(waiting), 5000):
        Task.objects.filter(id__in=waiting[chunk:chunk + 5000]).update(status="submitted", completed_on=F("period_start"))
    staff = User.objects.filter(is_superuser=True).first() or User.objects.first()
    towns = list(OrgUnit.objects.filter(kind="town")[:10])
    Adjustment.objects.bulk_create([
        Adjustment(org=o, year=year, kind="bonus" if n % 2 else "deduction", category="experience" if n % 2 else "other",
                   points=Decimal("2"), reason="bench", created_by=staff) for n, o in enumerate(towns)
    ])
    orgs = list(OrgUnit.objects.exclude(kind="county").values_list("id", flat=True))
    with connection.cursor() as cur:  # fresh planner statistics for both (see the module docstring)
        cur.execute("ANALYZE")
    counted = Task.objects.filter(kind__in=("duty", "risk_review"), due_date__year=year).exclude(status="cancelled").count()
    print(f"[{label}] {connection.vendor}: {len(orgs)} orgs, {counted:,} tasks counted in {year}")

    sql = """
        SELECT org_id,
               SUM(CASE WHEN status = 'approved' AND approved_on <= %s AND completed_on <= due_date THEN points ELSE 0 END),
               SUM(CASE WHEN status = 'approved' AND approved_on <= %s AND completed_on > due_date THEN points ELSE 0 END),
               SUM(points), COUNT(*)
        FROM tasks_task
        WHERE kind IN ('duty', 'risk_review') AND due_date >= %s AND due_date <= %s AND status <> 'cancelled'
        GROUP BY org_id
    """

    def raw():
        with connection.cursor() as cur:
            cur.execute(sql, [end, end, date(year, 1, 1), end])
            return cur.fetchall()

    raw()  # warm
    baseline, rows = backends.best(raw, RUNS)
    print(f"[{label}] baseline: one raw SQL aggregate over {len(rows)} orgs: {baseline * 1000:.1f} ms (best of {RUNS})")

    grain_sql = sql.replace("SELECT org_id,", "SELECT org_id, assignee_id,").replace("GROUP BY org_id", "GROUP BY org_id, assignee_id")

    def raw_grain():
        with connection.cursor() as cur:
            cur.execute(grain_sql, [end, end, date(year, 1, 1), end])
            return cur.fetchall()

    raw_grain()
    grain, grows = backends.best(raw_grain, RUNS)
    print(f"[{label}] second baseline: the same raw aggregate per org AND member (the 一岗双责 grain), "
          f"{len(grows)} rows: {grain * 1000:.1f} ms")

    scores = org_scores(year, orgs, as_of=end)  # warm (content type cache)
    # the same points: the org-level sums of the raw baseline equal what org_scores counted
    by_org = {r[0]: r for r in rows}
    for pk, s in scores.items():
        r = by_org.get(pk)
        assert (r[4] if r else 0) == s.due, (pk, r, s.due)
    timed = backends.alternate(RUNS, raw=raw, scores=lambda: org_scores(year, orgs, as_of=end))
    raw_best, raw_med = timed["raw"][:2]
    elapsed, med = timed["scores"][:2]
    with CaptureQueriesContext(connection) as q:
        org_scores(year, orgs, as_of=end)
    scored = sum(1 for s in scores.values() if s.score is not None)
    ratio = elapsed / raw_best
    print(f"[{label}] alternated ×{RUNS}: raw {raw_best * 1000:.1f} ms, org_scores {elapsed * 1000:.1f} ms (best), "
          f"{len(q.captured_queries)} queries, {scored} orgs scored; {ratio:.2f}× the raw aggregate per org "
          f"(target ≤ 3×: {'PASS' if ratio <= 3 else 'FAIL'}); median {med * 1000:.1f} / {raw_med * 1000:.1f} ms = "
          f"{med / raw_med:.2f}×; {elapsed / grain:.2f}× the raw aggregate per org and member")



if __name__ == "__main__":
    backends.main(__file__, inner)
