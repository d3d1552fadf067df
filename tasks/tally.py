"""How ``TaskTally`` and ``ItemTally`` (tasks.models.tally) are kept, rebuilt and verified.

**Kept.** PostgreSQL statement triggers on ``tasks_task`` (after INSERT, UPDATE, DELETE;
with the statement's transition tables) add the new rows' keys and subtract the old rows'
keys, grouped, in the writing statement's own transaction: whatever writes tasks —
``tasks.services`` one task or thousands at once, a COPY of a bulk load — the counts move
with it and commit or roll back with it, so they cannot drift. Upserts are taken in key
order, so two transactions never wait on each other's counts in opposite orders. (TRUNCATE
fires no row change: whoever empties the tasks so empties the counts too, as a database
flush does.) The key SQL below is written once and serves the triggers,
``rebuild`` and ``verify``; ``install`` (run by a migration) puts the triggers in place.

**Exact as of today.** A task's warning colour and the dashboard's figures read its status,
due date, extension count, and two dates only through comparisons: ``completed_on <= D``,
``completed_on <= due_date``, ``approved_on <= D`` (tasks.warnings, tasks.figures). The
counts keep the due date itself (so "overdue", "due within 5 days", "due by D" are decided
at read time from the as-of date D, with no write when the date changes) and replace each of
the two dates by a representative that answers those comparisons the same way: on time →
0001-01-01, late → the day after the due date, approved → 0001-01-01. The service functions
set completed_on and approved_on to the day of the write, so every real date is on or before
today; for every D from today on, ``representative <= D`` and ``real <= D`` are then both
true, and ``completed_on <= due_date`` is kept as it is. So ``colour_q(c, D)`` and
``figure_q(k, w)`` applied to the counts give exactly what they give on the tasks for any
as-of date from today on — the ONE rule of tasks.warnings, evaluated on the counts. An as-of
date in the past (what the list looked like on 20 September) is answered from the tasks
(``exact_for``).

**Strictly below.** A count row at node X counts the tasks of the orgs below X, never X's
own: a village's tasks are each their own group and would make the counts as large as the
tasks; an org's own tasks are few and read directly (pages add them).

Org moves (a changed path) are not followed: ``manage.py tally --rebuild`` after one.
"""

from datetime import date

from django.db import connection, transaction
from django.db.models import Case, Q, Sum, When
from django.utils import timezone

from accounts.models import OrgUnit

from .models import ItemTally, Task, TaskTally

STEP = OrgUnit.steplen
FUNCTION = "tasks_tally_apply"

# column of a count → its SQL over a task row ``t``
STATE_SQL = {
    "due_date": "t.due_date",
    "status": "t.status",
    "completed_on": ("CASE WHEN t.completed_on IS NULL THEN NULL WHEN t.completed_on <= t.due_date "
                     "THEN DATE '0001-01-01' ELSE t.due_date + 1 END"),
    "approved_on": "CASE WHEN t.approved_on IS NULL THEN NULL ELSE DATE '0001-01-01' END",
    "extension_count": "LEAST(t.extension_count, 1)",
}
ITEM_SQL = {"source_type_id": "t.source_type_id", "source_id": "t.source_id", "title": "t.title", "category": "t.category"}
TALLIES = (TaskTally, ItemTally)


def _exprs(model) -> list[tuple[str, str]]:
    """(column, SQL over t) for each key column of ``model`` but ``node``."""
    known = {**STATE_SQL, **ITEM_SQL}
    return [(c, known[c]) for c in model.KEY if c != "node"]


def _grouped(model, source: str, ordered: bool = True) -> str:
    """SELECT of the counts of the task rows ``source`` (with a ``sign`` column): one row per
    strict ancestor of each task's org and key, in key order, zero sums left out."""
    exprs = _exprs(model)
    cols = ", ".join(e for _c, e in exprs)
    keys = ", ".join(str(i) for i in range(1, len(exprs) + 2))
    return (f"SELECT substr(o.path, 1, k.k * {STEP}), {cols}, SUM(t.sign) FROM ({source}) t "
            f"JOIN accounts_orgunit o ON o.id = t.org_id CROSS JOIN LATERAL generate_series(1, o.depth - 1) AS k(k) "
            f"GROUP BY {keys} HAVING SUM(t.sign) <> 0" + (f" ORDER BY {keys}" if ordered else ""))


def _upsert(model, source: str) -> str:
    table = model._meta.db_table
    cols = ", ".join(model.KEY)
    constraint = model._meta.constraints[0].name
    return (f"INSERT INTO {table} ({cols}, n) {_grouped(model, source)} "
            f"ON CONFLICT ON CONSTRAINT {constraint} DO UPDATE SET n = {table}.n + EXCLUDED.n")


def _apply(source: str) -> str:
    return ";\n    ".join(_upsert(m, source) for m in TALLIES)


def install_sql() -> str:
    from accounts.audit_chain import HEAD_PK
    from accounts.models import AuditChainHead

    task, head = Task._meta.db_table, AuditChainHead._meta.db_table
    added, removed = "SELECT *, 1 AS sign FROM new_rows", "SELECT *, -1 AS sign FROM old_rows"
    return f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Writers of tasks also append to the audit chain, whose head row serialises them; taking it
  -- first keeps one lock order (the head, then the counts), so two writers cannot deadlock.
  PERFORM 1 FROM {head} WHERE id = {HEAD_PK} FOR UPDATE;
  IF TG_OP = 'INSERT' THEN
    {_apply(added)};
  ELSIF TG_OP = 'DELETE' THEN
    {_apply(removed)};
  ELSE
    {_apply(f"{removed} UNION ALL {added}")};
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS {FUNCTION}_ins ON {task};
DROP TRIGGER IF EXISTS {FUNCTION}_upd ON {task};
DROP TRIGGER IF EXISTS {FUNCTION}_del ON {task};
CREATE TRIGGER {FUNCTION}_ins AFTER INSERT ON {task} REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
CREATE TRIGGER {FUNCTION}_upd AFTER UPDATE ON {task} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
CREATE TRIGGER {FUNCTION}_del AFTER DELETE ON {task} REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
"""


def uninstall_sql() -> str:
    return f"DROP FUNCTION IF EXISTS {FUNCTION}() CASCADE;"


def available() -> bool:
    """The counts are kept on PostgreSQL only (the embedded SQLite county reads its tasks)."""
    return connection.vendor == "postgresql"


def exact_for(as_of: date) -> bool:
    """Do the counts answer for the as-of date ``as_of`` (see the module's docstring)?"""
    return available() and as_of >= timezone.localdate()


def tasks_below(paths) -> int:
    """How many tasks (of every status) the orgs strictly below the orgs at ``paths`` hold, from
    the kept counts: one indexed sum, however many tasks. 0 where no counts are kept."""
    if not available() or not paths:
        return 0
    return TaskTally.objects.filter(node__in=list(paths)).aggregate(n=Sum("n"))["n"] or 0


def only_for(condition: Q, value, output_field):
    """``value`` for the rows where ``condition`` holds, NULL for the others: a key of a GROUP BY
    that splits only those rows (one query groups root's rows by month or item, its children's
    by nothing but their colour)."""
    return Case(When(condition, then=value), default=None, output_field=output_field)


def install(conn=connection) -> None:
    if conn.vendor == "postgresql":
        with conn.cursor() as cur:
            cur.execute(install_sql())


def rebuild_sql() -> list[str]:
    """The statements that recount every tally from the tasks (locked meanwhile)."""
    out = [f"LOCK TABLE {Task._meta.db_table} IN SHARE MODE"]
    for m in TALLIES:
        out += [f"TRUNCATE {m._meta.db_table}",
                f"INSERT INTO {m._meta.db_table} ({', '.join(m.KEY)}, n) "
                f"{_grouped(m, f'SELECT *, 1 AS sign FROM {Task._meta.db_table}', ordered=False)}"]
    return out


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Recount every tally from the tasks; returns the rows of each."""
    with connection.cursor() as cur:
        for statement in rebuild_sql():
            cur.execute(statement)
    return {m.__name__: m.objects.count() for m in TALLIES}


def verify() -> dict[str, int]:
    """For each tally, how many of its rows differ from a recount of the tasks (0: exact); each
    comparison is one statement, so it sees one snapshot of both."""
    out = {}
    with connection.cursor() as cur:
        for m in TALLIES:
            kept = f"SELECT {', '.join(m.KEY)}, n FROM {m._meta.db_table} WHERE n <> 0"
            recount = _grouped(m, f"SELECT *, 1 AS sign FROM {Task._meta.db_table}", ordered=False)
            cur.execute(f"SELECT count(*) FROM (({kept} EXCEPT ALL {recount}) UNION ALL ({recount} EXCEPT ALL {kept})) d")
            out[m.__name__] = cur.fetchone()[0]
    return out
