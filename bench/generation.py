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

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOWNS, VILLAGES = 20, 20


def run_backend(label: str, env: dict) -> None:
    env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "config.settings", "QINGDAN_ENV": "dev", "DJANGO_DEBUG": "false"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    t = time.perf_counter()
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "generate_county", "--towns", str(TOWNS), "--villages-per-town", str(VILLAGES)],
                   env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    print(f"[{label}] fresh database, migrate + generate_county: {time.perf_counter() - t:.1f} s")
    subprocess.run([sys.executable, __file__, "--inner", label], env=env, check=True, cwd=ROOT)


def inner(label: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true", help="run on a fresh SQLite file (default when --pg is absent)")
    parser.add_argument("--pg", metavar="URL", help="PostgreSQL server URL; a fresh database is created on it and dropped after")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        return inner(args.inner)
    if args.sqlite or not args.pg:
        with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as tmp:
            run_backend("sqlite", {"QINGDAN_VAR_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"})
    if args.pg:
        import psycopg

        name = f"qingdan_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        base = args.pg.rsplit("/", 1)[0]
        try:
            with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as tmp:
                run_backend("postgresql", {"QINGDAN_VAR_DIR": tmp, "DATABASE_URL": f"{base}/{name}"})
        finally:
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
