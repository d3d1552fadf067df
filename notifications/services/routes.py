"""Task reminders written by the database: one ``INSERT … SELECT … ON CONFLICT DO NOTHING``
per batch, no task row ever travels through Python.

Who receives a task reminder depends only on the task's org, bearer and assignee, and on the
kind (muting, channels). ``Directory`` (loaded once per sweep) decides that for every
*combination* — a county has a few hundred orgs and a few thousand users — and the answers
go into a small temporary table, the **routes**, once per sweep:

====  ==============================  =====================================================
part  matched on                      gives
====  ==============================  =====================================================
a     kind, assignee (active user)    the assignee on each of their channels
p     kind, org, bearer code          ``Directory.task_recipients(org, bearer, None)`` × channels
g     kind, org                       each active group robot of the org
e     level, org                      ``Directory.escalation_recipients(org, level)`` × channels
====  ==============================  =====================================================

Routes exist only for active orgs, active users and channels a user has not muted, so a
join that finds no route writes nothing — exactly as the per-row rules did. Each route holds
the tail of the outbox key (``"<user>:<channel>"`` or ``"g<robot>:<kind>"``), so the database
builds the same keys: ``task:<id>:<kind><level>:<business date>:<tail>``.

The same SQL runs on PostgreSQL (routes loaded with COPY) and SQLite (executemany): one
path, the same rows, tested against the per-row rules in tests/notifications.
"""

import json
from datetime import date, datetime

from django.db import connection
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from responsibilities.choices import BEARER_ROLES

from ..models import Kind, Outbox, State
from .directory import Directory

ROUTES = "notifications_sweep_route"

BEARER_CODES = tuple(str(b) for b in BEARER_ROLES)  # any other bearer value → "" (the fallback roles)
ROUTE_COLUMNS = ("part", "kind", "level", "org_id", "bearer", "akey", "recipient_id", "webhook_id", "channel", "tail")


def build_routes(directory: Directory, kinds: set[str], levels: set[int]) -> list[tuple]:
    """Every (who, channel) a task reminder of these kinds / escalation levels can go to."""
    rows: list[tuple] = []
    active_orgs = sorted(pk for pk in directory.orgs if directory.org_active(pk))
    for kind in sorted(k for k in kinds if k != Kind.ESCALATION):
        for uid in sorted(directory.active_users):
            for channel in directory.channels_for(uid, kind):
                rows.append(("a", kind, 0, 0, "", uid, uid, None, channel, f"{uid}:{channel}"))
        for org_id in active_orgs:
            for code in (*BEARER_CODES, ""):
                for uid in directory.task_recipients(org_id, code, None):
                    for channel in directory.channels_for(uid, kind):
                        rows.append(("p", kind, 0, org_id, code, 0, uid, None, channel, f"{uid}:{channel}"))
            for wid, wkind in directory.group_webhooks(org_id):
                rows.append(("g", kind, 0, org_id, "", 0, None, wid, wkind, f"g{wid}:{wkind}"))
    for level in sorted(levels):
        for org_id in active_orgs:
            for uid in directory.escalation_recipients(org_id, level):
                for channel in directory.channels_for(uid, Kind.ESCALATION):
                    rows.append(("e", str(Kind.ESCALATION), level, org_id, "", 0, uid, None, channel, f"{uid}:{channel}"))
    return rows


def load_routes(rows: list[tuple]) -> None:
    """(Re)create this connection's temporary routes table and fill it (COPY on PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ROUTES}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {ROUTES} (part varchar(1), kind varchar(16), level integer, org_id bigint, "
            "bearer varchar(32), akey bigint, recipient_id bigint, webhook_id bigint, channel varchar(16), "
            "tail varchar(64))"
        )
        cols = ", ".join(ROUTE_COLUMNS)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {ROUTES} ({cols}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
        else:
            cursor.executemany(f"INSERT INTO {ROUTES} ({cols}) VALUES ({', '.join(['%s'] * len(ROUTE_COLUMNS))})", rows)
        # Indexed, so that whatever join the planner picks (it often under-estimates a batch's
        # tasks and chooses a nested loop) each task finds its routes by index, not by a scan.
        cursor.execute(f"CREATE INDEX {ROUTES}_org ON {ROUTES} (part, kind, level, org_id, bearer)")
        cursor.execute(f"CREATE INDEX {ROUTES}_akey ON {ROUTES} (part, kind, akey)")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {ROUTES}")  # autovacuum never analyses temporary tables


def drop_routes() -> None:
    if connection.needs_rollback:  # an error inside an atomic block: the next sweep replaces the table
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ROUTES}")


def _candidates_sql(tasks) -> tuple[str, tuple]:
    """The batch's tasks (``tasks``: a Task queryset, already filtered by the caller) in an active
    org, with the bearer code and the assignee key (the assignee's id if active, else 0)."""
    qs = (
        tasks.filter(org__is_active=True)
        .annotate(
            bcode=Case(When(bearer__in=BEARER_CODES, then=F("bearer")), default=Value("")),
            akey=Case(When(assignee__is_active=True, then=F("assignee_id")), default=Value(0),
                      output_field=IntegerField()),
        )
        .order_by()
        .values_list("id", "org_id", "bcode", "akey", "due_date")
    )
    return qs.query.sql_with_params()


def insert_batch(*, tasks, kind: str, level: int, business_date: date, send_at: datetime, data: dict) -> int:
    """One statement: the outbox rows of ``tasks`` (a Task queryset) for one rule. Returns the
    number of rows really inserted (keys already present are skipped)."""
    cand_sql, cand_params = _candidates_sql(tasks)
    ops = connection.ops
    bdate = business_date.isoformat()
    prefix = f":{kind}{level or ''}:{bdate}:"
    json_param = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    select = (
        f"SELECT 'task:' || CAST(c.id AS text) || %s || r.tail, %s, r.channel, c.id, c.due_date, %s, "
        f"r.recipient_id, r.webhook_id, {json_param}, %s, %s, 0, '', '', '', %s FROM cand c JOIN {ROUTES} r ON "
    )
    common = [prefix, kind, ops.adapt_datefield_value(business_date)]
    common += [json.dumps(data), ops.adapt_datetimefield_value(send_at), str(State.PENDING),
               ops.adapt_datetimefield_value(timezone.now())]
    if kind == Kind.ESCALATION:
        branches = [(select + "r.part = 'e' AND r.kind = %s AND r.level = %s AND r.org_id = c.org_id", [kind, level])]
    else:
        branches = [
            (select + "r.part = 'a' AND r.kind = %s AND r.akey = c.akey AND c.akey <> 0", [kind]),
            (select + "r.part = 'p' AND r.kind = %s AND r.level = 0 AND r.org_id = c.org_id AND r.bearer = c.bearer "
                      "AND c.akey = 0", [kind]),
            (select + "r.part = 'g' AND r.kind = %s AND r.level = 0 AND r.org_id = c.org_id", [kind]),
        ]
    union = " UNION ALL ".join(sql for sql, _ in branches)
    params = [*cand_params]
    for _sql, extra in branches:
        params += [*common, *extra]
    cols = ("key, kind, channel, task_id, task_due_date, business_date, recipient_id, webhook_id, data, due_at, "
            "state, attempts, last_error, response, claimed_by, created_at")
    sql = (
        f"INSERT INTO {Outbox._meta.db_table} ({cols}) "  # INSERT first: sqlite3 reports rowcount only then
        # MATERIALIZED: the batch's tasks are found once by primary key, then hash-joined to the
        # routes (inlined, PostgreSQL misjudges the id list and loops over every org's tasks).
        f"WITH cand (id, org_id, bearer, akey, due_date) AS MATERIALIZED ({cand_sql}) "
        f"SELECT * FROM ({union}) AS rows_ WHERE true "
        "ON CONFLICT (key) DO NOTHING"
    )
    with connection.cursor() as cursor:  # one statement: atomic by itself
        cursor.execute(sql, params)
        return max(0, cursor.rowcount)

