"""Switching an item off and on changes its tasks through tasks.services: each task
cancelled or reopened gets its version bumped, a TaskEvent, a history row and an
audit row, its pending reminders stop — and a failure half-way changes nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection
from django.utils import timezone

from accounts.models import AuditEvent
from notifications.models import Outbox
from responsibilities import services
from responsibilities.models import ChecklistItem
from tasks.models import Task, TaskEvent

from .conftest import at

pytestmark = pytest.mark.django_db


def tasks_of(item):
    return Task.objects.filter(source_type=ContentType.objects.get_for_model(ChecklistItem), source_id=item.pk)


def published_quarterly(make, county):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("village", items=[{"frequency": "Q"}])
        services.publish(cl, county.staff)
    return cl, cl.items.get()


def reminder(task, user, state=Outbox.State.PENDING):
    return Outbox.objects.create(
        key=f"test:{task.pk}:{state}", kind=Outbox.Kind.DUE_SOON, channel="inapp", task=task, recipient=user,
        business_date=timezone.localdate(), due_at=timezone.now() + timedelta(hours=1), state=state,
    )


def test_switching_an_item_off_cancels_each_open_task_with_its_records(county, make):
    _cl, item = published_quarterly(make, county)
    q3 = tasks_of(item).get(org=county.v11, period_label="2026年第3季度")
    Task.objects.filter(pk=q3.pk).update(status=Task.Status.RETURNED)
    q1 = tasks_of(item).get(org=county.v11, period_label="2026年第1季度")
    waiting, sent, overdue = reminder(q3, county.staff), reminder(q3, county.staff, Outbox.State.SENT), reminder(q1, county.staff)
    with time_machine.travel(at(2026, 5, 5, 9), tick=False):
        assert services.set_item_active(item, county.staff, False) == 9  # Q2–Q4 × 3 villages, not yet due

    cancelled = tasks_of(item).filter(status=Task.Status.CANCELLED)
    assert cancelled.count() == 9 and set(cancelled.values_list("version", flat=True)) == {2}
    assert set(cancelled.values_list("cancel_reason", flat=True)) == {"事项已停用。"}
    events = TaskEvent.objects.filter(kind=TaskEvent.Kind.CANCELLED)
    assert sorted(events.values_list("task_id", flat=True)) == sorted(cancelled.values_list("pk", flat=True))
    assert set(events.values_list("actor", flat=True)) == {county.staff.pk}
    assert events.get(task=q3).data == {"cause": "item_deactivated", "ref": item.pk, "from": "returned"}
    audits = AuditEvent.objects.filter(action="tasks.cancelled", object_type="tasks.task")
    assert sorted(audits.values_list("object_id", flat=True)) == sorted(str(pk) for pk in cancelled.values_list("pk", flat=True))
    assert set(audits.values_list("actor", flat=True)) == {county.staff.pk}
    assert audits.get(object_id=str(q3.pk)).org_path == county.v11.path
    history = Task.history.filter(id=q3.pk).order_by("history_date").last()
    assert (history.status, history.version, history.history_user_id) == ("cancelled", 2, county.staff.pk)

    assert Outbox.objects.get(pk=waiting.pk).state == Outbox.State.CANCELLED
    assert Outbox.objects.get(pk=sent.pk).state == Outbox.State.SENT
    assert Outbox.objects.get(pk=overdue.pk).state == Outbox.State.PENDING  # Q1 is overdue and still owed
    assert Task.objects.get(pk=q1.pk).status == Task.Status.PENDING


def test_switching_it_back_on_restores_the_tasks_it_cancelled(county, make):
    _cl, item = published_quarterly(make, county)
    q3 = tasks_of(item).get(org=county.v11, period_label="2026年第3季度")
    Task.objects.filter(pk=q3.pk).update(status=Task.Status.RETURNED)
    with time_machine.travel(at(2026, 5, 5, 9), tick=False):
        services.set_item_active(item, county.staff, False)
    with time_machine.travel(at(2026, 7, 1, 9), tick=False):
        assert services.set_item_active(item, county.staff, True) == 6  # Q3, Q4 reopen; Q2 is past due

    assert Task.objects.get(pk=q3.pk).status == Task.Status.RETURNED  # as it was before
    reopened = tasks_of(item).filter(period_label__in=["2026年第3季度", "2026年第4季度"])
    assert set(reopened.values_list("version", "cancel_reason")) == {(3, "")}
    assert tasks_of(item).filter(period_label="2026年第2季度", status=Task.Status.CANCELLED).count() == 3
    events = TaskEvent.objects.filter(kind=TaskEvent.Kind.REOPENED)
    assert sorted(events.values_list("task_id", flat=True)) == sorted(reopened.values_list("pk", flat=True))
    assert events.get(task=q3).data == {"cause": "item_deactivated", "ref": item.pk}
    audits = AuditEvent.objects.filter(action="tasks.reopened")
    assert sorted(audits.values_list("object_id", flat=True)) == sorted(str(pk) for pk in reopened.values_list("pk", flat=True))


def test_opting_an_org_out_and_back_in_records_each_task(county, make):
    _cl, item = published_quarterly(make, county)
    with time_machine.travel(at(2026, 5, 5, 9), tick=False):
        opt, cancelled = services.add_opt_out(item, county.v11, county.staff, "不适用")
    assert cancelled == 4  # every open task of v11, Q1 (overdue) included
    assert AuditEvent.objects.filter(action="tasks.cancelled").count() == 4
    assert TaskEvent.objects.filter(kind=TaskEvent.Kind.CANCELLED, data__cause="optout", data__ref=opt.pk).count() == 4
    with time_machine.travel(at(2026, 7, 1, 9), tick=False):
        assert services.end_opt_out(opt, county.staff) == 2  # Q3, Q4
    assert AuditEvent.objects.filter(action="tasks.reopened").count() == 2


def test_a_failure_half_way_changes_nothing(county, make):
    """The last step (stopping reminders) fails in the database: the tasks, their
    events, audit rows, history and the item itself are as they were."""
    _cl, item = published_quarterly(make, county)
    q3 = tasks_of(item).get(org=county.v11, period_label="2026年第3季度")
    waiting = reminder(q3, county.staff)
    before = sorted(tasks_of(item).values_list("pk", "status", "version"))
    history = Task.history.count()
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("""
                CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$;
                CREATE TRIGGER test_refuse BEFORE UPDATE ON notifications_outbox
                FOR EACH ROW EXECUTE FUNCTION test_refuse();
            """)
        else:
            c.execute("""CREATE TEMP TRIGGER test_refuse BEFORE UPDATE ON notifications_outbox
                         BEGIN SELECT RAISE(ABORT, 'refused by test'); END""")
    with time_machine.travel(at(2026, 5, 5, 9), tick=False), pytest.raises(DatabaseError, match="refused by test"):
        services.set_item_active(item, county.staff, False)

    assert sorted(tasks_of(item).values_list("pk", "status", "version")) == before
    assert not TaskEvent.objects.filter(kind=TaskEvent.Kind.CANCELLED).exists()
    assert not AuditEvent.objects.filter(action__in=["tasks.cancelled", "responsibilities.item_deactivated"]).exists()
    assert Task.history.count() == history
    assert ChecklistItem.objects.get(pk=item.pk).is_active
    assert Outbox.objects.get(pk=waiting.pk).state == Outbox.State.PENDING


def item_fields(item, **changes):
    return {**{f: getattr(item, f) for f in services.ITEM_FIELDS}, **changes}


def test_editing_an_item_records_each_task_and_stops_reminders_only_for_a_new_due_date(county, make):
    _cl, item = published_quarterly(make, county)
    q3 = tasks_of(item).get(org=county.v11, period_label="2026年第3季度")
    q4 = tasks_of(item).get(org=county.v11, period_label="2026年第4季度")
    on_q3, on_q4 = reminder(q3, county.staff), reminder(q4, county.staff)
    with time_machine.travel(at(2026, 5, 5, 9), tick=False):
        item, updated = services.update_item(item, county.staff, lock_version=item.lock_version,
                                             **item_fields(item, title="新名称"))
        assert updated == 6  # Q3, Q4 × 3 villages: text only
        assert Outbox.objects.get(pk=on_q3.pk).state == Outbox.State.PENDING
        item, updated = services.update_item(item, county.staff, lock_version=item.lock_version,
                                             **item_fields(item, due_days=5))
        assert updated == 6
    assert Outbox.objects.get(pk=on_q4.pk).state == Outbox.State.CANCELLED  # its due date moved
    assert Task.objects.get(pk=q4.pk).version == 3
    events = TaskEvent.objects.filter(task=q4, kind=TaskEvent.Kind.UPDATED)
    assert [e.data["cause"] for e in events] == ["item_edited", "item_edited"]
    assert AuditEvent.objects.filter(action="tasks.updated", object_id=str(q4.pk)).count() == 2
