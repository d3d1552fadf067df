"""Task reminders written by the database: one ``INSERT … SELECT … ON CONFLICT DO NOTHING``
per batch, no task row ever travels through Python.

Who receives a task reminder depends only on the task's org, bearer and assignee, and on the
kind (muting, channels). ``Directory`` (loaded once per sweep) decides that for every
*combination* — a county has a few hundred orgs and a few thousand users — and the answers
go into a small temporary table, the **routes**, once per sweep:

====  ==============================  =====================================================
part  matched on                      gives
====  ==============================  =====================================================
u     kind, person key                ``a<user>``: the assignee (an active user) on each of
                                      their channels; ``p<org>:<bearer code>``, for a task
                                      without one: ``Directory.task_recipients(org, bearer,
                                      None)`` × channels
g     kind, org                       each active group robot of the org
e     level, org                      ``Directory.escalation_recipients(org, level)`` × channels
====  ==============================  =====================================================

Every task has exactly one person key (computed by the database in the same form), so the
people of a batch are found by ONE equality join, which PostgreSQL hashes. (With two joins
guarded by ``assignee = 0`` / ``<> 0`` it misjudged how many tasks each kept, looped over the
routes index once per task and spent twice as long selecting as inserting.)

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
from django.db.models import BooleanField, Case, CharField, F, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from responsibilities.choices import BEARER_ROLES
from tasks.models import Task

from ..models import Kind, Outbox, State
from .directory import Directory

ROUTES = "notifications_sweep_route"

BEARER_CODES = tuple(str(b) for b in BEARER_ROLES)  # any other bearer value → "" (the fallback roles)
ROUTE_COLUMNS = ("part", "kind", "level", "org_id", "pkey", "recipient_id", "webhook_id", "channel", "tail")


def assignee_key(uid: int) -> str:
    return f"a{uid}"


def bearer_key(org_id: int, code: str) -> str:
    return f"p{org_id}:{code}"


def active_org_ids(directory: Directory) -> list[int]:
    return sorted(pk for pk in directory.orgs if directory.org_active(pk))


def build_routes(directory: Directory, kinds: set[str], levels: set[int]) -> list[tuple]:
    """Every (who, channel) a task reminder of these kinds / escalation levels can go to."""
    rows: list[tuple] = []
    active_orgs = active_org_ids(directory)
    for kind in sorted(k for k in kinds if k != Kind.ESCALATION):
        for uid in sorted(directory.active_users):
            for channel in directory.channels_for(uid, kind):
                rows.append(("u", kind, 0, 0, assignee_key(uid), uid, None, channel, f"{uid}:{channel}"))
        for org_id in active_orgs:
            for code in (*BEARER_CODES, ""):
                for uid in directory.task_recipients(org_id, code, None):
                    for channel in directory.channels_for(uid, kind):
                        rows.append(("u", kind, 0, 0, bearer_key(org_id, code), uid, None, channel, f"{uid}:{channel}"))
            for wid, wkind in directory.group_webhooks(org_id):
                rows.append(("g", kind, 0, org_id, "", None, wid, wkind, f"g{wid}:{wkind}"))
    for level in sorted(levels):
        for org_id in active_orgs:
            for uid in directory.escalation_recipients(org_id, level):
                for channel in directory.channels_for(uid, Kind.ESCALATION):
                    rows.append(("e", str(Kind.ESCALATION), level, org_id, "", uid, None, channel, f"{uid}:{channel}"))
    return rows


def load_routes(rows: list[tuple]) -> None:
    """(Re)create this connection's temporary routes table and fill it (COPY on PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ROUTES}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {ROUTES} (part varchar(1), kind varchar(16), level integer, org_id bigint, "
            "pkey varchar(64), recipient_id bigint, webhook_id bigint, channel varchar(16), tail varchar(64))"
        )
        cols = ", ".join(ROUTE_COLUMNS)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {ROUTES} ({cols}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
        else:
            cursor.executemany(f"INSERT INTO {ROUTES} ({cols}) VALUES ({', '.join(['%s'] * len(ROUTE_COLUMNS))})", rows)
        # Indexed, so that whatever join the planner picks (it under-estimates a batch's tasks)
        # each task finds its routes by index, never by a scan.
        cursor.execute(f"CREATE INDEX {ROUTES}_org ON {ROUTES} (part, kind, level, org_id)")
        cursor.execute(f"CREATE INDEX {ROUTES}_pkey ON {ROUTES} (part, kind, pkey)")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {ROUTES}")  # autovacuum never analyses temporary tables


def drop_routes() -> None:
    if connection.needs_rollback:  # an error inside an atomic block: the next sweep replaces the table
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ROUTES}")


def one_of(model, field: str, values: list):
    """A filter: ``field`` is one of ``values``. On PostgreSQL the values travel as ONE array
    parameter (``col = ANY(%s)``): an ``IN (%s, %s, …)`` of a batch's thousands of ids cost the
    sweep more time building and parsing the statement in Python than the database spent on it."""
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": values})
    column = f"{model._meta.db_table}.{model._meta.get_field(field).column}"
    return RawSQL(f"{column} = ANY(%s)", (list(values),), output_field=BooleanField())


def _candidates_sql(tasks, active_orgs: list[int]) -> tuple[str, tuple]:
    """The batch's tasks (``tasks``: a Task queryset, already filtered by the caller) in an active
    org, with their person key: ``a<assignee>`` if the assignee is active, else
    ``p<org>:<bearer code>`` (a bearer outside BEARER_CODES → the empty code).

    Active orgs are a list, not a join: the planner under-estimates a batch (its ids were chosen
    by due date, which it counts again), and with a join it once looped over every org for every
    task (127 ms for 3,017 tasks instead of 4)."""
    text = lambda expr: Cast(expr, CharField())  # noqa: E731
    bcode = Case(When(bearer__in=BEARER_CODES, then=F("bearer")), default=Value(""), output_field=CharField())
    qs = (
        tasks.filter(one_of(Task, "org", active_orgs))
        .annotate(
            pkey=Case(
                When(assignee__is_active=True, then=Concat(Value("a"), text("assignee_id"))),
                default=Concat(Value("p"), text("org_id"), Value(":"), bcode),
                output_field=CharField(),
            ),
        )
        .order_by()
        .values_list("id", "org_id", "pkey", "due_date")
    )
    return qs.query.sql_with_params()


def insert_batch(*, tasks, active_orgs: list[int], kind: str, level: int, business_date: date, send_at: datetime, data: dict) -> int:
    """One statement: the outbox rows of ``tasks`` (a Task queryset) for one rule. Returns the
    number of rows really inserted (keys already present are skipped)."""
    cand_sql, cand_params = _candidates_sql(tasks, active_orgs)
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
            (select + "r.part = 'u' AND r.kind = %s AND r.pkey = c.pkey", [kind]),
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
        f"WITH cand (id, org_id, pkey, due_date) AS MATERIALIZED ({cand_sql}) "
        f"SELECT * FROM ({union}) AS rows_ WHERE true "
        "ON CONFLICT (key) DO NOTHING"
    )
    with connection.cursor() as cursor:  # one statement: atomic by itself
        cursor.execute(sql, params)
        return max(0, cursor.rowcount)

