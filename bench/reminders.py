"""Benchmark: the minute reminder sweep over 1,000,000 open tasks (PostgreSQL).

    .venv/bin/python bench/reminders.py --pg postgres://postgres@127.0.0.1:55504/postgres
    .venv/bin/python bench/reminders.py --pg URL --tasks 200000      # smaller
    .venv/bin/python bench/reminders.py --pg URL --keep               # keep the database (name printed) …
    .venv/bin/python bench/reminders.py --pg URL --db NAME            # … and measure again on it (outbox emptied)

On a fresh database (created on the server, dropped afterwards): migrate, build the
20 × 20 county (``manage.py generate_county --towns 20 --villages-per-town 20``, or an
equivalent tree built here if that command is not available), give every org a party
secretary, a discipline secretary and a clerk, every discipline secretary an e-mail address,
every fifth org a 企业微信 robot; then insert N open tasks with one INSERT … SELECT
generate_series (due dates spread evenly from 90 days ago to 270 days ahead, so about a
quarter are overdue), and measure

* baseline: the bare candidate scan (``SELECT count(*)`` of open tasks on every due date a
  rule looks at) and a bare ``bulk_create`` of as many outbox rows as the sweep writes
  (rolled back) — the floor on this machine, measured in the same run;
* first run: ``run_sweep()`` — find what is due and write the outbox rows (target ≤ 10 s),
  with the number of queries and queries per batch;
* second run: ``run_sweep()`` again — must add 0 rows (and is the steady-state per-minute cost).

``QD_PROFILE=/tmp/x.prof`` runs the inner process under cProfile (read it with pstats).

Not run by pytest.
"""

import argparse
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TOWNS, VILLAGES = 20, 20


def with_db(url: str, name: str) -> str:
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, "/" + name, p.query, p.fragment))


def outer(pg_url: str, n_tasks: int, keep: bool, reuse: str | None = None) -> None:
    import psycopg

    name = reuse or f"qingdan_bench_reminders_{uuid.uuid4().hex[:8]}"
    keep = keep or bool(reuse)
    admin = psycopg.connect(pg_url, autocommit=True)
    if not reuse:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": with_db(pg_url, name), "DJANGO_SETTINGS_MODULE": "config.settings",
           "QINGDAN_ENV": "dev", "DJANGO_DEBUG": "false", "QINGDAN_LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    env["CELERY_BROKER_URL"] = "memory://"
    try:
        manage = [sys.executable, str(ROOT / "manage.py")]
        t = time.perf_counter()
        subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
        if reuse:
            print(f"kept database {name}: migrated; outbox emptied, county and tasks reused")
        else:
            gen = subprocess.run([*manage, "generate_county", "--towns", str(TOWNS), "--villages-per-town", str(VILLAGES)],
                                 env=env, cwd=ROOT, capture_output=True, text=True)
            county = "generate_county" if gen.returncode == 0 else "built here (generate_county unavailable)"
            print(f"fresh database {name}: migrate + county ({county}): {time.perf_counter() - t:.1f} s")
        prof = ["-m", "cProfile", "-o", os.environ["QD_PROFILE"]] if os.environ.get("QD_PROFILE") else []
        subprocess.run([sys.executable, *prof, __file__, "--inner", "--tasks", str(n_tasks)], env=env, check=True, cwd=ROOT)
    finally:
        if not keep:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def build_county_here():
    """The 20 × 20 county shape, if ``generate_county`` is not available."""
    from accounts.models import OrgUnit

    if OrgUnit.objects.exists():
        return
    root = OrgUnit.add_root(name="基准县", code="B", kind="county")
    root.add_child(name="县纪委监委", code="B-JW", kind="department")
    for t in range(TOWNS):
        root.refresh_from_db()
        town = root.add_child(name=f"第{t + 1}镇", code=f"B-T{t + 1}", kind="town", subkind="镇")
        for v in range(VILLAGES):
            town.refresh_from_db()
            town.add_child(name=f"第{t + 1}镇{v + 1}村", code=f"B-T{t + 1}-V{v + 1}", kind="village", subkind="村")


def people(orgs):
    """A party secretary, a discipline secretary (with e-mail) and a clerk wherever an org has none."""
    from django.db.models.signals import post_save

    from accounts import signals as account_signals
    from accounts.models import Membership, User

    post_save.disconnect(account_signals._membership_saved, sender=Membership)  # no guardian sync needed here
    have = set(Membership.objects.values_list("org_id", "role"))
    users, plan = [], []
    for org in orgs:
        for role in ("party_secretary", "discipline_secretary", "clerk"):
            if (org.pk, role) in have:
                continue
            u = User(username=f"b{org.pk}_{role}", full_name=f"{org.name}{role}", must_change_password=False,
                     email=f"b{org.pk}@bench.example" if role == "discipline_secretary" else "")
            u.set_unusable_password()
            users.append(u)
            plan.append((org, role))
    User.objects.bulk_create(users, batch_size=2000)
    by_name = dict(User.objects.filter(username__in=[u.username for u in users]).values_list("username", "id"))
    Membership.objects.bulk_create(
        [Membership(user_id=by_name[u.username], org=org, role=role, start_date="2020-01-01") for u, (org, role) in zip(users, plan)],
        batch_size=2000,
    )
    User.objects.filter(memberships__role="discipline_secretary", email="").update(email="disc@bench.example")


def insert_tasks(n: int, today) -> float:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from accounts.models import OrgUnit
    from responsibilities.models import ChecklistItem
    from tasks.models import Task

    ct = ContentType.objects.get_for_model(ChecklistItem).pk
    orgs = list(OrgUnit.objects.filter(is_active=True).order_by("id").values_list("id", flat=True))
    known = {
        "org_id": "o.org_id", "kind": "'duty'", "source_type_id": str(ct), "source_id": "g",
        "period_start": "d.due - 80", "period_end": "d.due", "period_label": "'基准期'", "due_date": "d.due",
        "original_due_date": "d.due", "title": "'基准任务 ' || g", "requirement": "''", "evidence_hint": "''",
        "category": "'supervisory'", "frequency": "'Q'", "points": "0", "bearer": "'discipline'", "assignee_id": "NULL",
        "review_org_id": "NULL", "status": "'pending'", "note": "''", "completed_on": "NULL", "submitted_at": "NULL",
        "submitted_by_id": "NULL", "approved_on": "NULL", "reviewed_at": "NULL", "reviewed_by_id": "NULL",
        "return_reason": "''", "cancel_reason": "''", "extension_count": "0", "version": "1",
        "created_at": "now()", "updated_at": "now()",
    }
    cols, exprs = [], []
    for f in Task._meta.concrete_fields:
        if f.primary_key:
            continue
        col = f.column
        if col in known:
            expr = known[col]
        elif f.null:
            expr = "NULL"
        elif f.get_internal_type() in ("CharField", "TextField"):
            expr = "''"
        elif f.get_internal_type() in ("BooleanField",):
            expr = "false"
        elif f.get_internal_type() in ("JSONField",):
            expr = "'{}'::jsonb"
        elif "Integer" in f.get_internal_type() or f.get_internal_type() in ("DecimalField", "FloatField"):
            expr = "0"
        elif f.get_internal_type() == "DateField":
            expr = "d.due"
        elif f.get_internal_type() == "DateTimeField":
            expr = "now()"
        else:
            raise SystemExit(f"bench: do not know how to fill tasks_task.{col} ({f.get_internal_type()})")
        cols.append(f'"{col}"')
        exprs.append(expr)
    sql = f"""
        INSERT INTO tasks_task ({", ".join(cols)})
        SELECT {", ".join(exprs)}
        FROM generate_series(1, %(n)s) AS g
        JOIN LATERAL (SELECT (%(orgs)s::bigint[])[1 + (g %% %(norgs)s)] AS org_id) o ON true
        JOIN LATERAL (SELECT (%(today)s::date - 90 + ((g / %(norgs)s) %% 360)::int) AS due) d ON true
    """
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(sql, {"n": n, "orgs": orgs, "norgs": len(orgs), "today": today})
        # What autovacuum does within a minute of a bulk load (PostgreSQL ≥ 13 vacuums tables
        # after inserts): set hint bits and the visibility map, gather statistics — and flush the
        # load to disk. Otherwise the first sweep pays the load's one-time costs (its reads dirty
        # every freshly inserted page) while the checkpointer writes the load on the other core.
        # A county's tasks are generated once a year; the sweep runs every minute after that.
        cur.execute("VACUUM ANALYZE tasks_task")
        cur.execute("CHECKPOINT")
    return time.perf_counter() - t


class QueryCounter:
    def __init__(self):
        self.n = 0
        self.kinds = {}

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        word = sql.lstrip().split(" ", 1)[0].upper()
        self.kinds[word] = self.kinds.get(word, 0) + 1
        return execute(sql, params, many, context)


def timed_sweep(now):
    """One ``run_sweep(now)``: (result, seconds, outbox rows added, QueryCounter)."""
    from django.db import connection

    from notifications.models import Outbox
    from notifications.services import run_sweep

    counter = QueryCounter()
    before = Outbox.objects.count()
    t = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = run_sweep(now)
    seconds = time.perf_counter() - t
    return result, seconds, Outbox.objects.count() - before, counter


def spread(values) -> str:
    """max / p95 / mean of a list of counts."""
    if not values:
        return "none"
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return f"max {values[-1]:,} / p95 {p95:,} / mean {sum(values) / len(values):.1f}"


def messages_per_recipient() -> dict[int, int]:
    """How many messages the sender would send each person for the outbox as it stands (its
    reminders on one channel are one message: notifications/services/envelopes.py)."""
    from notifications.services.envelopes import messages_per_recipient as count

    return count()


def print_per_person() -> None:
    from django.db.models import Count

    from notifications.models import Outbox

    rows = dict(Outbox.objects.filter(recipient__isnull=False).values_list("recipient_id").annotate(n=Count("id")).order_by())
    messages = messages_per_recipient()
    print(f"            per person ({len(rows):,} people): rows {spread(list(rows.values()))}; "
          f"messages {spread(list(messages.values()))} ({sum(messages.values()):,} messages in all)")


def inner(n_tasks: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from datetime import datetime, time as dtime

    from django.db import connection, transaction
    from django.db.models import Min
    from django.utils import timezone

    from accounts.models import OrgUnit
    from notifications.models import Outbox, ReminderSettings, Webhook
    from notifications.services.sweep import OPEN, task_rules
    from tasks.models import Task

    build_county_here()
    today = timezone.localdate()
    now = timezone.make_aware(datetime.combine(today, dtime(10, 0)))
    orgs = list(OrgUnit.objects.filter(is_active=True).order_by("id"))
    rules = ReminderSettings.load()
    if Task.objects.exists():  # --db: a kept benchmark database
        with connection.cursor() as cur:
            cur.execute("TRUNCATE notifications_inboxmessage, notifications_outbox")
            cur.execute("VACUUM ANALYZE notifications_outbox")
        took = 0.0
    else:
        people(orgs)
        Webhook.objects.bulk_create([
            Webhook(org=o, kind="wecom", url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=bench{o.pk}")
            for o in orgs[::5]
        ])
        took = insert_tasks(n_tasks, today)
    open_tasks = Task.objects.filter(status__in=OPEN).count()
    print(f"{connection.vendor} {connection.pg_version // 10000}: {len(orgs)} orgs, {open_tasks:,} open tasks inserted in {took:.1f} s")

    # --- baseline 1: the bare candidate scan ---------------------------------------------------
    first_due = Task.objects.filter(status__in=OPEN).aggregate(d=Min("due_date"))["d"]
    dates = sorted({d for r in task_rules(rules, today, first_due) for d in r.due_dates})
    t = time.perf_counter()
    scanned = Task.objects.filter(status__in=OPEN, due_date__in=dates).count()
    scan = time.perf_counter() - t
    print(f"baseline scan: {scanned:,} open tasks on the {len(dates)} due dates the rules look at: {scan:.2f} s")

    # --- first run --------------------------------------------------------------------------------
    result, first, added, counter = timed_sweep(now)
    per_batch = counter.n / max(1, result.batches)
    print(f"first run:  {first:.2f} s — {added:,} outbox rows from {result.candidates:,} candidate tasks "
          f"in {result.batches} batches; {counter.n} queries {dict(sorted(counter.kinds.items()))}, "
          f"{per_batch:.1f} queries per batch (batch ≈ {result.total // max(1, result.batches):,} rows; "
          f"the routes' one COPY per sweep is not seen by Django's query wrapper)")
    print("            rows by kind: " + ", ".join(f"{k} {v:,}" for k, v in sorted(result.rows.items())))
    print_per_person()

    # --- baselines 2, 3 and 4: bare inserts of as many rows, each into an empty outbox --------------
    # (TRUNCATE inside the transaction, rolled back: the first run also started from an empty table)
    proto = list(Outbox.objects.order_by("id").values("kind", "channel", "business_date", "due_at", "recipient_id")[:1])[0]
    cols = ("key, kind, channel, task_id, task_due_date, business_date, recipient_id, webhook_id, data, due_at, state, "
            "attempts, last_error, response, claimed_by, created_at")
    with connection.cursor() as cur:
        cur.execute(f"CREATE TEMP TABLE bench_same_rows AS SELECT {cols} FROM notifications_outbox ORDER BY id")
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("TRUNCATE notifications_inboxmessage, notifications_outbox")
        t = time.perf_counter()
        cur.execute(
            "INSERT INTO notifications_outbox (key, kind, channel, business_date, due_at, recipient_id, data, state, "
            "attempts, last_error, response, claimed_by, created_at) "
            "SELECT 'baseline:' || g, %s, %s, %s, %s, %s, '{}'::jsonb, 'pending', 0, '', '', '', now() "
            "FROM generate_series(1, %s) g",
            [proto["kind"], proto["channel"], proto["business_date"], proto["due_at"], proto["recipient_id"], added],
        )
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        floor = time.perf_counter() - t
        transaction.set_rollback(True)
    print(f"baseline insert (server side, INSERT … SELECT generate_series of {added:,} rows, rolled back): {floor:.2f} s")
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("TRUNCATE notifications_inboxmessage, notifications_outbox")
        t = time.perf_counter()
        cur.execute(f"INSERT INTO notifications_outbox ({cols}) SELECT {cols} FROM bench_same_rows")
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign-key checks, as at a commit
        same = time.perf_counter() - t
        transaction.set_rollback(True)
    print(f"baseline insert (the first run's very rows, copied back by one plain INSERT, FKs checked, rolled back): {same:.2f} s")
    sample = min(added, 20_000)
    rows = [Outbox(key=f"baseline:{i}", **proto) for i in range(sample)]
    t = time.perf_counter()
    with transaction.atomic():
        Outbox.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
        transaction.set_rollback(True)
    naive = (time.perf_counter() - t) * added / sample
    print(f"baseline insert (Django bulk_create, {sample:,} rows timed, scaled to {added:,}): {naive:.2f} s")

    # --- second run ---------------------------------------------------------------------------------
    again, second, added2, counter2 = timed_sweep(now)
    print(f"second run: {second:.2f} s — {added2} rows added, {again.candidates} candidates, {counter2.n} queries")

    print()
    print(f"first run / (scan + server-side insert floor) = {first / (scan + floor):.2f}×; "
          f"first run / plain INSERT of the same rows = {first / same:.2f}×; "
          f"first run / Django bulk_create of the same rows = {first / naive:.2f}×; "
          f"second run / scan = {second / scan:.2f}×")
    ok_first = first <= 10
    print(f"target first run ≤ 10 s: {'OK' if ok_first else 'MISSED'} ({first:.2f} s); "
          f"second run adds 0 rows: {'OK' if added2 == 0 else 'MISSED'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:55504/postgres"))
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--db", help="measure on a database kept by an earlier --keep run (its outbox is emptied)")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        inner(args.tasks)
    else:
        outer(args.pg, args.tasks, args.keep, args.db)
