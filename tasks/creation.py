"""Creating tasks, each exactly once (the unique constraints on org × source × period
[× assignee]): one task for a source, a batch of planned tasks (existing keys skipped), and
the bulk load of generated data sets."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from accounts import audit

from .models import Task, TaskEvent
from .records import BATCH_SIZE, event, known


@transaction.atomic
def create_task(*, source, org, period_start, actor=None, assignee=None, **fields) -> tuple[Task, bool]:
    """One task for ``source`` (a rectification measure, a document's reply, a 回头看):
    created once — a second call returns the existing task and ``False``."""
    ct = ContentType.objects.get_for_model(source)
    task, created = Task.objects.get_or_create(
        org=org, source_type=ct, source_id=source.pk, period_start=period_start, assignee=assignee, defaults=fields,
    )
    if created:
        event(task, TaskEvent.Kind.CREATED, known(actor), source=f"{ct.app_label}.{ct.model}:{source.pk}")
    return task, created



def create_tasks(rows: list[Task], *, actor=None, action: str, obj=None, **detail) -> int:
    """Insert planned tasks (unsaved ``Task`` objects), skipping every row whose key
    exists already; returns how many were new. One audit row ``action`` (on ``obj``)
    records the batch: a generated task's origin is its source and period.

    PostgreSQL: COPY into a temporary table and one ``INSERT … SELECT … ON CONFLICT DO
    NOTHING`` (no per-row SQL to build or bind). Elsewhere ``bulk_create(ignore_conflicts=True)``."""
    if not rows:
        return 0
    with transaction.atomic():
        created = _insert(rows)
        audit.record(action, user=known(actor), obj=obj, created=created, **detail)
    return created


def _insert(rows: list[Task]) -> int:
    if connection.vendor != "postgresql":
        before = Task.objects.count()  # the write lock is held: nobody else inserts meanwhile
        Task.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH_SIZE)
        return Task.objects.count() - before
    fields = [f for f in Task._meta.concrete_fields if not f.primary_key]
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Task._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS tasks_task_load")
        cursor.execute(f"CREATE TEMP TABLE tasks_task_load ON COMMIT DROP AS SELECT {cols} FROM {table} WITH NO DATA")
        with cursor.cursor.copy(f"COPY tasks_task_load ({cols}) FROM STDIN") as copy:
            for obj in rows:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
        cursor.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM tasks_task_load ON CONFLICT DO NOTHING")
        created = cursor.rowcount
        cursor.execute("DROP TABLE tasks_task_load")
    return created


def copy_tasks(columns: list[str], lines) -> int:
    """A bulk load of new task rows, one COPY into the tasks table — for generated data sets
    of millions of tasks, whose rows the caller knows to be new (no duplicate check, no event
    or history per task). ``columns``: Task column names; ``lines``: the rows in COPY's text
    format (``tasks.bulkload.copy_text``), joined in blocks. PostgreSQL only. The task counts
    (tasks.tally) follow through their triggers. Returns the rows written."""
    table = connection.ops.quote_name(Task._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for block in lines:
                copy.write(block)
        return cursor.cursor.rowcount
