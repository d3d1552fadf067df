"""The sweep's task rows are written by SQL (one INSERT … SELECT per batch, routes from the
Directory). Here they are checked row by row against the rules applied task by task in Python
(``expected_task_rows``, the per-row logic the sweep used before), on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership, User
from accounts.roles import Role
from notifications.models import Kind, Outbox, Preference, ReminderSettings, Webhook
from notifications.services import run_sweep
from notifications.services.directory import Directory
from notifications.services.sweep import OPEN, task_rules
from tasks.models import Task
from tests.notifications.conftest import bj
from tests.notifications.factories import make_task

pytestmark = pytest.mark.django_db

D = date(2024, 5, 15)
COLS = ("key", "kind", "channel", "task_id", "task_due_date", "business_date", "recipient_id", "webhook_id", "data",
        "due_at")


def expected_task_rows(now) -> set[tuple]:
    """Every task row owed at ``now``, decided task by task (no anti-join: a fresh outbox)."""
    from django.utils import timezone

    today = timezone.localdate(now)
    rules = ReminderSettings.load()
    directory = Directory(today)
    first = Task.objects.filter(status__in=OPEN).order_by("due_date").values_list("due_date", flat=True).first()
    out = set()
    for rule in task_rules(rules, today, first):
        kind = str(rule.kind)
        data = {"level": rule.level} if rule.kind == Kind.ESCALATION else ({"days": rule.days} if rule.days else {})
        bdate = rule.business_date.isoformat()
        tasks = Task.objects.filter(status__in=OPEN, due_date__in=rule.due_dates).values_list(
            "id", "org_id", "assignee_id", "bearer", "due_date")
        for task_id, org_id, assignee_id, bearer, due in tasks:
            if not directory.org_active(org_id):
                continue
            if rule.kind == Kind.ESCALATION:
                users = directory.escalation_recipients(org_id, rule.level)
            else:
                users = directory.task_recipients(org_id, bearer, assignee_id)
            for uid in users:
                for channel in directory.channels_for(uid, kind):
                    out.add((f"task:{task_id}:{kind}{rule.level or ''}:{bdate}:{uid}:{channel}", kind, channel,
                             task_id, due, rule.business_date, uid, None, repr(data), rule.send_at))
            if rule.kind != Kind.ESCALATION:
                for wid, wkind in directory.group_webhooks(org_id):
                    out.add((f"task:{task_id}:{kind}:{bdate}:g{wid}:{wkind}", kind, wkind, task_id, due,
                             rule.business_date, None, wid, repr(data), rule.send_at))
    return out


def written_task_rows() -> set[tuple]:
    return {(*r[:8], repr(r[8]), r[9]) for r in Outbox.objects.filter(task__isnull=False).values_list(*COLS)}


@pytest.fixture
def varied(county):
    """Tasks on every rule's dates, for every bearer (and unknown ones), assignees active and not,
    muted kinds, e-mail on / off / bounced, group robots active and disabled, an inactive org."""
    c = county
    for user, email in ((c.v11_disc, "v11@example.org"), (c.t1_disc, "t1@example.org"), (c.v11_clerk, "clerk@example.org"),
                        (c.t2_disc, "t2@example.org"), (c.v21_disc, "v21@example.org")):
        user.email = email
        user.save()
    Preference.objects.create(user=c.v11_clerk, muted_kinds=["overdue"])
    Preference.objects.create(user=c.t2_disc, email_enabled=False, muted_kinds=["escalation"])  # cannot mute that
    Preference.objects.create(user=c.v21_disc, bounced_email="V21@example.org")
    gone = User.objects.create(username="gone", full_name="离职", is_active=False)
    Membership.objects.create(user=c.nobody, org=c.v12, role=Role.CLERK, start_date=date(2020, 1, 1))
    Webhook.objects.create(org=c.v11, kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a")
    Webhook.objects.create(org=c.v11, kind="dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=b")
    Webhook.objects.create(org=c.town1, kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=c",
                           status=Webhook.Status.DISABLED)
    dues = [D + timedelta(days=5), D + timedelta(days=1), D, D - timedelta(days=1), D - timedelta(days=4),
            D - timedelta(days=7), D - timedelta(days=10), D - timedelta(days=14), D - timedelta(days=16),
            D - timedelta(days=40), D + timedelta(days=3), D - timedelta(days=2)]
    orgs = [c.v11, c.v12, c.v21, c.town1, c.town2, c.county]
    bearers = ["discipline", "committee", "secretary", "member", "", "nonsense"]
    n = 0
    for due in dues:
        for org in orgs:
            for bearer in bearers:
                n += 1
                assignee = (c.v11_clerk, gone, None, None)[n % 4] if org == c.v11 else None
                make_task(org, due, bearer=bearer, assignee=assignee)
        make_task(c.v11, due, status="submitted")
        make_task(c.v12, due, status="returned", assignee=c.t1_party)
    inactive = make_task(c.v21, D)
    c.v21.refresh_from_db()
    c.v21.is_active = False
    c.v21.save()
    return inactive


@pytest.mark.parametrize("batch", [7, 5000])
def test_sql_rows_equal_the_rules_applied_task_by_task(varied, rules, settings, batch):
    settings.QINGDAN_SWEEP_BATCH_SIZE = batch
    now = bj(2024, 5, 15, 10)
    with time_machine.travel(now, tick=False):
        expected = expected_task_rows(now)
        result = run_sweep()
    written = written_task_rows()
    kinds = {r[1] for r in expected}
    assert kinds == {"due_soon", "due_today", "overdue", "escalation"}
    assert {r[2] for r in expected} == {"inapp", "email", "wecom", "dingtalk"}
    assert {r[8] for r in expected if r[1] == "escalation"} == {repr({"level": 1}), repr({"level": 2})}
    assert not any(r[3] == varied.pk for r in expected)  # the inactive org's task
    assert len(expected) > 300
    assert written == expected
    assert sum(n for k, n in result.rows.items() if k in kinds) == len(expected)  # counted as inserted
    with time_machine.travel(now, tick=False):
        again = run_sweep()
    assert written_task_rows() == expected and sum(again.rows.values()) == 0


def test_a_task_closed_between_read_and_write_gets_nothing(county, rules, settings, monkeypatch):
    """The batch statement re-checks status and due date: ids read, then the task is submitted."""
    from notifications.services import routes

    keep = make_task(county.v11, D)
    closed = make_task(county.v11, D)
    moved = make_task(county.v12, D, bearer="committee")
    Membership.objects.create(user=county.nobody, org=county.v12, role=Role.CLERK, start_date=date(2020, 1, 1))
    real = routes.insert_batch

    def close_first(**kw):
        Task.objects.filter(pk=closed.pk).update(status="submitted")
        Task.objects.filter(pk=moved.pk).update(due_date=D + timedelta(days=2))
        return real(**kw)

    monkeypatch.setattr(routes, "insert_batch", close_first)
    with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
        result = run_sweep()
    assert set(Outbox.objects.filter(task__isnull=False).values_list("task_id", flat=True)) == {keep.pk}
    assert result.candidates == 3 and result.rows[Kind.DUE_TODAY] == 1


def test_one_statement_per_batch(county, rules, settings):
    """Each extra batch costs exactly one query (the INSERT … SELECT); per rule one SELECT of candidate ids."""
    for _ in range(18):
        make_task(county.v11, D - timedelta(days=1))
    runs = {}
    for batch in (100, 100, 4):  # the first run also creates the SweepState row
        settings.QINGDAN_SWEEP_BATCH_SIZE = batch
        Outbox.objects.all().delete()
        with time_machine.travel(bj(2024, 5, 15, 10), tick=False):
            with CaptureQueriesContext(connection) as ctx:
                result = run_sweep()
        inserts = [q["sql"] for q in ctx.captured_queries if "WITH cand" in q["sql"]]
        assert all(s.startswith("INSERT INTO") for s in inserts)
        assert result.rows[Kind.OVERDUE] == 18
        runs[batch] = (len(ctx.captured_queries), result.batches, len(inserts))
    (q_big, b_big, i_big), (q_small, b_small, i_small) = runs[100], runs[4]
    assert (i_big, i_small) == (1, 5)
    assert b_small - b_big == 4 and q_small - q_big == 4
