"""Benchmark: publishing a year of every shipped list for the 20 × 20 county.

    .venv/bin/python bench/generation.py                       # SQLite (fresh file in a temp dir)
    .venv/bin/python bench/generation.py --pg postgres://postgres@127.0.0.1:55502/postgres
    .venv/bin/python bench/generation.py --sqlite --pg URL     # both

Each backend runs in its own process on a fresh database: migrate,
``manage.py generate_county --towns 20 --villages-per-town 20``, load the shipped
defaults, then

* baseline: ``bulk_create`` of exactly the planned rows, rolled back (the raw
  insert cost on this machine, measured in the same run);
* first run: publish every list with ``include_past=True`` (plan + insert);
* second run: ``generate_year(include_past=True)`` again — must create 0 rows.

Targets: first ≤ 10 s, second ≤ 2 s. Not run by pytest.
"""

import time

import backends

def inner(label: str) -> None:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Membership, OrgUnit
    from responsibilities import services
    from responsibilities.loading import load_default_lists
    from responsibilities.models import Checklist
    from tasks.generation import generate_year, plan_checklist
    from tasks.models import Task

    year = timezone.localdate().year
    load_default_lists(year)
    lists = list(Checklist.objects.filter(year=year))
    orgs = OrgUnit.objects.filter(is_active=True).count()
    members = Membership.objects.filter(role="member").current().count()
    print(f"[{label}] {connection.vendor}: {orgs} active orgs, {members} 班子成员, {len(lists)} lists for {year}")

    # baseline: insert the same rows, nothing else, then roll back
    for c in lists:
        c.status, c.published_at = "published", timezone.now()
    rows = []
    for c in lists:
        rows += plan_checklist(c, include_past=True).rows
    t = time.perf_counter()
    with transaction.atomic():
        Task.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        transaction.set_rollback(True)
    baseline = time.perf_counter() - t
    print(f"[{label}] baseline bulk insert of {len(rows)} rows: {baseline:.2f} s ({len(rows) / baseline:,.0f} rows/s)")

    t = time.perf_counter()
    created = sum(services.publish(Checklist.objects.get(pk=c.pk), None, include_past=True).created for c in lists)
    first = time.perf_counter() - t
    print(f"[{label}] first run: {created} rows created in {first:.2f} s ({created / first:,.0f} rows/s); "
          f"{first / baseline:.1f}× the bare insert; target ≤ 10 s: {'PASS' if first <= 10 else 'FAIL'}")

    t = time.perf_counter()
    again = generate_year(year, include_past=True)
    second = time.perf_counter() - t
    print(f"[{label}] second run: {again} rows created in {second:.2f} s; "
          f"{second / first:.2f}× the first run; target 0 rows in ≤ 2 s: {'PASS' if again == 0 and second <= 2 else 'FAIL'}")



if __name__ == "__main__":
    backends.main(__file__, inner)
