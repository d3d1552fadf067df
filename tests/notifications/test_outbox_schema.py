"""The outbox table as the sweep's insert cost needs it (notifications/migrations/0004):
byte-wise key and kind on PostgreSQL, no database FOREIGN KEY on task and recipient — and what
still protects those links."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import ProtectedError

from notifications.models import Outbox
from tests.notifications.factories import make_task

pytestmark = pytest.mark.django_db


def outbox_fk_targets() -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Outbox._meta.db_table)
    return {c["foreign_key"][0] for c in constraints.values() if c["foreign_key"]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="collations are PostgreSQL's")
def test_key_and_kind_compare_bytewise_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname, c.collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation "
            "WHERE a.attrelid = %s::regclass AND a.attname IN ('key', 'kind', 'channel')",
            [Outbox._meta.db_table],
        )
        collations = dict(cursor.fetchall())
    # An AlterField on key or kind would silently reset this: re-apply it in that migration.
    assert collations == {"key": "C", "kind": "C", "channel": "default"}


def test_only_the_webhook_link_is_a_database_foreign_key():
    assert outbox_fk_targets() == {"notifications_webhook"}


def test_an_orm_delete_of_a_reminded_task_or_recipient_is_still_refused(county):
    task = make_task(county.v11, date(2024, 5, 15))
    row = Outbox.objects.create(key="t:1", kind="overdue", channel="inbox", task=task, business_date=date(2024, 5, 16),
                                recipient=county.v11_disc, due_at="2024-05-16T08:30:00+08:00")
    with pytest.raises(ProtectedError):
        task.delete()
    with pytest.raises(ProtectedError):
        county.v11_disc.delete()
    row.refresh_from_db()
    assert row.task_id == task.pk and row.recipient_id == county.v11_disc.pk
