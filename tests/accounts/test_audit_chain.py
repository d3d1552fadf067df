"""The audit trail's HMAC-SM3 hash chain: an edit or a deletion made around the database's
triggers is found by verify_audit, which names the row; concurrent writers keep one chain."""

import threading
from contextlib import contextmanager
from datetime import timedelta
from importlib import import_module

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.utils import timezone

from accounts import audit, audit_chain
from accounts.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


@contextmanager
def around_triggers():
    """Raw SQL as someone with direct database access would run it, triggers bypassed."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SET session_replication_role = replica")
            try:
                yield c
            finally:
                c.execute("SET session_replication_role = DEFAULT")
        else:
            c.execute("DROP TRIGGER IF EXISTS accounts_auditevent_no_update")
            c.execute("DROP TRIGGER IF EXISTS accounts_auditevent_no_delete")
            try:
                yield c
            finally:
                for sql in import_module("accounts.migrations.0002_audit_append_only").SQLITE:
                    c.execute(sql)


def rows(n, **detail):
    return [audit.record(f"test.row{i}", n=i, **detail) for i in range(n)]


def test_intact_chain_verifies_and_links_each_row(county):
    events = rows(5, ratio=0.1, big=1e20, nested={"b": [1, 2.5], "a": None})
    chain = list(AuditEvent.objects.order_by("seq"))
    assert [e.prev_mac for e in chain[1:]] == [e.mac for e in chain[:-1]]
    assert all(len(e.mac) == 64 and e.mac_key for e in chain)
    assert events[-1].seq == AuditChainHead.objects.get().seq
    report = audit_chain.verify()
    assert report.ok, report.problem
    assert report.checked == AuditEvent.objects.count()


def test_edit_with_raw_sql_is_found_and_named(county):
    target = rows(4)[2]
    with around_triggers() as c:
        c.execute("UPDATE accounts_auditevent SET actor_name = %s WHERE id = %s", ["someone-else", target.pk])
    report = audit_chain.verify()
    assert not report.ok and report.row_id == target.pk
    assert "altered" in report.problem
    with pytest.raises(CommandError, match=f"row id={target.pk} "):
        call_command("verify_audit")


def test_deleted_row_is_found(county):
    events = rows(4)
    with around_triggers() as c:
        c.execute("DELETE FROM accounts_auditevent WHERE id = %s", [events[1].pk])
    report = audit_chain.verify()
    assert not report.ok and report.row_id == events[2].pk
    assert "missing" in report.problem


def test_deleted_last_rows_are_found(county):
    events = rows(3)
    with around_triggers() as c:
        c.execute("DELETE FROM accounts_auditevent WHERE id = %s", [events[-1].pk])
    report = audit_chain.verify()
    assert not report.ok and "last rows" in report.problem


def test_head_set_back_to_hide_a_deletion_is_found(county):
    events = rows(3)
    with around_triggers() as c:
        c.execute("DELETE FROM accounts_auditevent WHERE id = %s", [events[-1].pk])
        c.execute("UPDATE accounts_auditchainhead SET seq = %s, mac = %s", [events[-2].seq, events[-2].mac])
    report = audit_chain.verify()
    assert not report.ok and "head" in report.problem


def test_row_inserted_around_the_application_is_found(county):
    rows(1)
    with connection.cursor() as c:
        c.execute("INSERT INTO accounts_auditevent (at, actor_name, action, object_type, object_id, object_repr, "
                  "org_path, result, request_id, detail, prev_mac, mac, mac_key) "
                  "VALUES (%s, 'x', 'forged', '', '', '', '', 'success', '', '{}', '', '', '')", [timezone.now()])
    report = audit_chain.verify()
    assert not report.ok and "no MAC" in report.problem


def test_retention_purge_keeps_a_verifiable_chain(county, settings):
    old = rows(3)
    from tests.clock import travel

    with travel(timezone.now() + timedelta(days=200), tick=True):
        rows(2)
        deleted = audit.purge()
    assert deleted >= len(old)
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    head = AuditChainHead.objects.get()
    assert head.anchor_seq >= old[-1].seq
    report = audit_chain.verify()
    assert report.ok, report.problem
    call_command("verify_audit")


def test_record_many_and_record_share_one_chain(county):
    audit.record_many("test.many", [county.town1, county.town2, county.v11])
    audit.record("test.one")
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert audit_chain.verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    """Two threads, each on its own database connection, append at the same moment."""
    per_thread, start, errors = 25, threading.Barrier(2), []

    def writer(name):
        try:
            start.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit.record("test.concurrent", writer=name, i=i)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert AuditEvent.objects.filter(action="test.concurrent").count() == 2 * per_thread
    assert len(set(AuditEvent.objects.values_list("prev_mac", flat=True))) == AuditEvent.objects.count()
    report = audit_chain.verify()
    assert report.ok, report.problem
