"""The minute job: find what is due on the business date and write outbox rows.

It decides *whether a reminder is owed today*, from the task's own due date
(``tasks`` decides due dates) and the county's ReminderSettings:

* due soon — ``due_date = today + k`` for each k in ``due_soon_days`` (5, 1);
* due today — ``due_date = today``;
* overdue — the day after the due date, then every ``overdue_repeat_days`` (3) while open;
* escalation — ``escalate_after_days`` (7) days overdue → the level above's discipline
  secretary; ``escalate_again_after_days`` (14) → its party secretary. Caught up for
  ``QINGDAN_ESCALATION_CATCHUP_DAYS`` if nothing ran on the day;
* weekly digest — from ``digest_weekday`` at ``digest_time`` (Monday 09:00), once per ISO week;
* 节前廉政提醒 — from ``holiday_days_before`` days before each holiday until it starts.

Every row has a unique key and is written with ON CONFLICT DO NOTHING, so the job may run
any number of times, late, or twice at once. A task rule reads candidate ids in one query
(an anti-join skips tasks already queued for that rule and day, so a second run reads ids and
writes nothing), then per batch of ``QINGDAN_SWEEP_BATCH_SIZE`` tasks runs ONE statement,
``INSERT … SELECT … ON CONFLICT (key) DO NOTHING`` (see ``routes``): the database joins the
tasks to the recipients decided once per sweep by ``Directory`` and builds the keys itself, so
no task row travels through Python. Digest and holiday rows (a few hundred) go through
``RowWriter``.

The rows are the per-item ledger, not the messages: a sender turns all of one person's due
reminder rows on one channel into ONE message (``envelopes``), so the sweep stays one set-based
insert per batch while a person with ten overdue items gets one message, not ten.
"""

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from responsibilities.models import Holiday
from tasks.models import Task

from ..models import Kind, Outbox, ReminderSettings, State, SweepState
from . import routes
from .directory import Directory

log = logging.getLogger(__name__)

OPEN = tuple(str(s) for s in Task.OPEN_STATUSES)
MAX_OVERDUE_SPAN_DAYS = 3650


def local_dt(day: date, at: time) -> datetime:
    """``day`` at ``at`` o'clock in the project's time zone (Asia/Shanghai), aware."""
    return timezone.make_aware(datetime.combine(day, at))


@dataclass
class TaskRule:
    kind: str
    business_date: date
    due_dates: list[date]
    send_at: datetime
    level: int = 0  # escalation level
    days: int = 0  # due-soon offset


@dataclass
class SweepResult:
    business_date: date
    rows: Counter = field(default_factory=Counter)
    batches: int = 0
    candidates: int = 0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


COLUMNS = ("key", "kind", "channel", "task_id", "task_due_date", "business_date", "recipient_id", "webhook_id",
           "data", "due_at")


class RowWriter:
    """Buffers outbox rows (as tuples in COLUMNS order); each flush is one transaction that
    inserts them with ON CONFLICT DO NOTHING on the unique key.

    PostgreSQL: COPY into a temporary table, then one ``INSERT … SELECT … ON CONFLICT (key)
    DO NOTHING`` whose inserted rows are counted by kind (exact). Other databases:
    ``bulk_create(ignore_conflicts=True)``, counting every row offered."""

    def __init__(self, result: SweepResult, batch_size: int):
        self.result = result
        self.batch_size = batch_size
        self.buffer: list[tuple] = []

    def add(self, *values) -> None:
        self.buffer.append(values)
        if len(self.buffer) >= 4 * self.batch_size:  # a memory guard; callers flush per batch
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        rows, self.buffer = self.buffer, []
        nested = connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql":
                self.result.rows.update(self._copy(rows, nested))
            else:  # SQLite: no count of what was really new; every row offered is counted
                objs = [Outbox(**dict(zip(COLUMNS, r))) for r in rows]
                Outbox.objects.bulk_create(objs, ignore_conflicts=True, batch_size=min(self.batch_size, 2000))
                self.result.rows.update(r[1] for r in rows)
        self.result.batches += 1

    @staticmethod
    def _copy(rows, nested: bool) -> int:
        table = Outbox._meta.db_table
        cols = ", ".join(COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS notifications_outbox_load (key varchar(160), kind varchar(16), channel varchar(16), "
                "task_id bigint, task_due_date date, business_date date, recipient_id bigint, webhook_id bigint, "
                "data jsonb, due_at timestamptz) ON COMMIT DROP"
            )
            dumped: dict[int, str] = {}  # rows of one rule share one data dict: serialise it once
            with cursor.cursor.copy(f"COPY notifications_outbox_load ({cols}) FROM STDIN") as copy:
                for r in rows:
                    data = dumped.get(id(r[8]))
                    if data is None:
                        data = dumped[id(r[8])] = json.dumps(r[8])
                    copy.write_row((*r[:8], data, r[9]))
            # Counted by kind from what was really inserted (a concurrent sweep's keys are skipped).
            cursor.execute(
                f"WITH ins AS (INSERT INTO {table} ({cols}, state, attempts, last_error, response, claimed_by, created_at) "
                f"SELECT {cols}, %s, 0, '', '', '', %s FROM notifications_outbox_load "
                f"ON CONFLICT (key) DO NOTHING RETURNING kind) SELECT kind, count(*) FROM ins GROUP BY kind",
                [State.PENDING, timezone.now()],  # the application's clock, never the server's now()
            )
            inserted = Counter(dict(cursor.fetchall()))
            if nested:  # inside an outer transaction the table outlives this flush: empty it
                cursor.execute("TRUNCATE notifications_outbox_load")
            return inserted


def task_rules(rules: ReminderSettings, today: date, first_open_due: date | None) -> list[TaskRule]:
    send_at = lambda d: local_dt(d, rules.send_time)  # noqa: E731
    out = [
        TaskRule(Kind.DUE_SOON, today, [today + timedelta(days=k)], send_at(today), days=k)
        for k in sorted(set(rules.due_soon_days or ()))
        if isinstance(k, int) and k > 0
    ]
    if rules.remind_on_due_date:
        out.append(TaskRule(Kind.DUE_TODAY, today, [today], send_at(today)))
    first = today - timedelta(days=1)
    if first_open_due is not None and first_open_due <= first:
        dates = [first]
        if rules.overdue_repeat_days:
            floor = max(first_open_due, today - timedelta(days=MAX_OVERDUE_SPAN_DAYS))
            d = first - timedelta(days=rules.overdue_repeat_days)
            while d >= floor:
                dates.append(d)
                d -= timedelta(days=rules.overdue_repeat_days)
        out.append(TaskRule(Kind.OVERDUE, today, dates, send_at(today)))
    levels = [(1, rules.escalate_after_days)]
    if rules.escalate_again_after_days:
        levels.append((2, rules.escalate_again_after_days))
    for back in range(settings.QINGDAN_ESCALATION_CATCHUP_DAYS, -1, -1):
        slot = today - timedelta(days=back)
        for level, after in levels:
            if after:
                out.append(TaskRule(Kind.ESCALATION, slot, [slot - timedelta(days=after)], send_at(slot), level=level))
    return out


def _already_queued(rule: TaskRule) -> Exists:
    """A live (not cancelled) row for this task, rule and business date exists."""
    rows = Outbox.objects.filter(task_id=OuterRef("pk"), kind=rule.kind, business_date=rule.business_date)
    if rule.kind == Kind.ESCALATION:
        rows = rows.filter(data__level=rule.level)
    return Exists(rows.exclude(state=State.CANCELLED))


def _write_task_rule(rule: TaskRule, writer: RowWriter, batch: int, active_orgs: list[int]) -> None:
    """One query for the rule's candidate ids (open, due on a date the rule looks at, not
    queued yet for this rule and day), then one ``INSERT … SELECT`` per ``batch`` tasks."""
    ids = list(
        Task.objects.filter(status__in=OPEN, due_date__in=rule.due_dates)
        .filter(~_already_queued(rule))
        .order_by("id")
        .values_list("id", flat=True)
    )
    writer.result.candidates += len(ids)
    kind = str(rule.kind)
    data = {"level": rule.level} if rule.kind == Kind.ESCALATION else ({"days": rule.days} if rule.days else {})
    for start in range(0, len(ids), batch):
        # These candidates by primary key, re-checked (still open, still due on the rule's dates):
        # a task closed since the ids were read is skipped. A concurrent sweep's rows are skipped
        # by the unique key.
        tasks = Task.objects.filter(routes.one_of(Task, "id", ids[start:start + batch]),
                                    status__in=OPEN, due_date__in=rule.due_dates)
        inserted = routes.insert_batch(tasks=tasks, active_orgs=active_orgs, kind=kind, level=rule.level,
                                       business_date=rule.business_date, send_at=rule.send_at, data=data)
        if inserted:
            writer.result.rows[kind] += inserted
        writer.result.batches += 1


def _existing_keys(kind: str, business_date: date) -> set[str]:
    return set(Outbox.objects.filter(kind=kind, business_date=business_date).values_list("key", flat=True))


def _write_digest(rules: ReminderSettings, now: datetime, today: date, directory: Directory, writer: RowWriter) -> None:
    if not rules.digest_enabled:
        return
    monday = today - timedelta(days=today.weekday())
    digest_day = monday + timedelta(days=rules.digest_weekday)
    starts = local_dt(digest_day, rules.digest_time)
    if now < starts:
        return
    iso = digest_day.isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    existing = _existing_keys(Kind.DIGEST, digest_day)
    for uid in directory.digest_recipients():
        for channel in directory.channels_for(uid, Kind.DIGEST):
            key = f"digest:{week}:{uid}:{channel}"
            if key not in existing:
                writer.add(key, str(Kind.DIGEST), channel, None, None, digest_day, uid, None, {"week": week}, starts)


def _write_holidays(rules: ReminderSettings, today: date, directory: Directory, writer: RowWriter) -> None:
    if not rules.holiday_enabled:
        return
    n = rules.holiday_days_before
    for holiday in Holiday.objects.filter(date__gte=today, date__lte=today + timedelta(days=n)).order_by("date"):
        slot = holiday.date - timedelta(days=n)
        send_at = local_dt(slot, rules.send_time)
        existing = _existing_keys(Kind.HOLIDAY, slot)
        data = {"holiday": holiday.pk}
        for uid in directory.secretaries():
            for channel in directory.channels_for(uid, Kind.HOLIDAY):
                key = f"holiday:{holiday.pk}:{uid}:{channel}"
                if key not in existing:
                    writer.add(key, str(Kind.HOLIDAY), channel, None, None, slot, uid, None, data, send_at)
        for org_id in sorted(directory.webhooks):
            if not directory.org_active(org_id):
                continue
            for wid, wkind in directory.group_webhooks(org_id):
                key = f"holiday:{holiday.pk}:g{wid}:{wkind}"
                if key not in existing:
                    writer.add(key, str(Kind.HOLIDAY), wkind, None, None, slot, None, wid, data, send_at)


def _touch_state(**values) -> None:
    """Update the one SweepState row (two sweeps at once may both create it: ignore the loser)."""
    if not SweepState.objects.filter(pk=1).update(**values):
        SweepState.objects.bulk_create([SweepState(pk=1, **values)], ignore_conflicts=True)


def run_sweep(now: datetime | None = None) -> SweepResult:
    """Write every reminder owed as of ``now`` (default: the current time) into the outbox."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    _touch_state(last_started_at=now)
    rules = ReminderSettings.load()
    directory = Directory(today)
    result = SweepResult(today)
    batch = settings.QINGDAN_SWEEP_BATCH_SIZE
    writer = RowWriter(result, batch)
    first_open_due = Task.objects.filter(status__in=OPEN).aggregate(d=Min("due_date"))["d"]
    plan = task_rules(rules, today, first_open_due)
    routes.load_routes(routes.build_routes(
        directory, {str(r.kind) for r in plan}, {r.level for r in plan if r.kind == Kind.ESCALATION}
    ))
    active_orgs = routes.active_org_ids(directory)
    try:
        for rule in plan:
            _write_task_rule(rule, writer, batch, active_orgs)
    finally:
        routes.drop_routes()
    _write_digest(rules, now, today, directory, writer)
    _write_holidays(rules, today, directory, writer)
    writer.flush()
    _touch_state(last_finished_at=timezone.now(), last_business_date=today, last_rows=result.total, last_error="")
    log.info("reminder sweep %s: %d rows from %d candidate tasks in %d batches",
             today, result.total, result.candidates, result.batches)
    return result
