"""The audit trail: rows for logins, failures, lockouts, logouts, membership and
grant changes; the database refuses UPDATE and DELETE."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts import audit, services
from accounts.models import AuditEvent, Membership, User
from accounts.roles import Role
from accounts.scope import visible_to
from tests.county import PASSWORD, make_user, today

pytestmark = pytest.mark.django_db


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_login_failure_lockout_logout_rows(county, client, form_login):
    start = AuditEvent.objects.count()
    form_login("t1_party", "Wrong-pass-1", REMOTE_ADDR="10.1.2.3")
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.result == "failure" and failed.actor_name == "t1_party" and failed.ip == "10.1.2.3"
    assert failed.request_id, "the request id is recorded"
    form_login("t1_party", PASSWORD)
    login = AuditEvent.objects.get(action="auth.login")
    assert login.actor_id == county.t1_party.pk and login.result == "success" and login.ip == "127.0.0.1"
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.get(action="auth.logout").actor_id == county.t1_party.pk
    for _ in range(5):
        form_login("v11_clerk", "Wrong-pass-1")
    locked = AuditEvent.objects.get(action="auth.locked_out")
    assert locked.result == "denied" and locked.actor_name == "v11_clerk"
    assert AuditEvent.objects.count() > start + 8


def test_membership_and_grant_changes_are_recorded(county):
    u = make_user("newbie")
    m = services.add_membership(u, county.v12, Role.CLERK, title="村联络员")
    created = AuditEvent.objects.get(action="membership.created", object_id=str(m.pk))
    assert created.detail["member"] == "newbie" and created.org_path == county.v12.path
    added = AuditEvent.objects.filter(action="grant.added", detail__detail_user="newbie")
    assert {e.detail["permission"] for e in added} == {"view", "work"}
    services.end_membership(m, on=today() - timedelta(days=1))
    assert AuditEvent.objects.filter(action="membership.changed", object_id=str(m.pk)).exists()
    removed = AuditEvent.objects.filter(action="grant.removed", detail__detail_user="newbie")
    assert {e.detail["permission"] for e in removed} == {"view", "work"}


def test_org_move_is_recorded(county):
    services.move_org(county.v12, county.town2)
    ev = AuditEvent.objects.get(action="org.moved")
    assert ev.detail == {"old_parent": "城关镇", "new_parent": "河口镇"}


def test_request_user_is_taken_from_context(county, client):
    client.force_login(county.staff)
    client.get(reverse("home"))
    token = audit.set_request_context(user=county.staff, ip="10.0.0.9", request_id="abc")
    try:
        ev = audit.record("test.something", obj=county.town1, note="x\x00y")
    finally:
        audit.reset_request_context(token)
    assert (ev.actor_id, ev.ip, ev.request_id, ev.org_path) == (county.staff.pk, "10.0.0.9", "abc", county.town1.path)
    assert ev.detail["note"] == "x y", "control characters are neutralised"


def test_audit_row_rolls_back_with_its_action(county):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            services.add_membership(make_user("ghost"), county.v12, Role.CLERK)
            raise RuntimeError
    assert not AuditEvent.objects.filter(detail__member="ghost").exists()
    assert not Membership.objects.filter(user__username="ghost").exists()


def test_database_refuses_update(county):
    ev = audit.record("test.row", obj=county.town1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        ev.result = "failure"
        ev.save()
    assert AuditEvent.objects.get(pk=ev.pk).action == "test.row"


def test_database_refuses_delete(county):
    ev = audit.record("test.row", obj=county.town1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM accounts_auditevent")
    assert AuditEvent.objects.filter(pk=ev.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL only")
def test_postgres_refuses_truncate(county):
    audit.record("test.row", obj=county.town1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("TRUNCATE accounts_auditevent")
    assert AuditEvent.objects.exists()


def test_admin_offers_no_change_or_delete(county, client):
    admin = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    ev = audit.record("test.row", obj=county.town1)
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_auditevent_delete", args=[ev.pk])).status_code == 403
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the purge flag is PostgreSQL's")
def test_postgres_purge_flag_lets_only_deletes_through(county):
    ev = audit.record("test.row", obj=county.town1)
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL qingdan.audit_purge = 'on'")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=ev.pk).update(action="forged")
        AuditEvent.objects.filter(pk=ev.pk).delete()
        assert not AuditEvent.objects.filter(pk=ev.pk).exists()
        transaction.set_rollback(True)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).delete()


def test_usernames_are_unique_case_insensitively(county):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="T1_PARTY")


def test_failed_audit_write_rolls_the_action_back(county, monkeypatch):
    """Fail closed (AU-4): if the audit row cannot be written, the change does not happen."""
    u = make_user("closed")

    def broken(*args, **kwargs):
        raise DatabaseError("audit store unavailable")

    monkeypatch.setattr(AuditEvent, "save", broken)
    monkeypatch.setattr(AuditEvent.objects, "bulk_create", broken)
    with pytest.raises(DatabaseError):
        services.add_membership(u, county.v12, Role.CLERK)
    monkeypatch.undo()
    assert not Membership.objects.filter(user=u).exists()
    assert not visible_to(u).exists()


def test_log_injection_is_neutralised(county, client, form_login, caplog):
    form_login("bob\r\nauth.login success admin", "p\r\nFAKE-secret")
    ev = AuditEvent.objects.get(action="auth.login_failed")
    assert "\r" not in ev.actor_name and "\n" not in ev.actor_name
    assert "FAKE-secret" not in str(ev.detail) and "FAKE-secret" not in caplog.text


@pytest.mark.parametrize("setting,kept_age,gone_age", [(184, 183, 185), (100, 183, 185), (400, 399, 401)])
def test_purge_honours_retention_and_never_goes_below_six_months(db, settings, setting, kept_age, gone_age):
    """The trail is purged from its start (the hash chain's order, which is the order rows
    were written in) up to the first row young enough to keep."""
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.audit_chain import verify
    from tests.county import build_county

    settings.AUDIT_RETENTION_DAYS = setting
    now = timezone.now()
    old_gone = AuditEvent(action="test.old_gone", at=now - timedelta(days=gone_age))
    old_gone.save()
    old_kept = AuditEvent(action="test.old_kept", at=now - timedelta(days=kept_age))
    old_kept.save()
    county = build_county()
    kept = audit.record("test.kept", obj=county.town1)
    recent = audit.record("test.recent", obj=county.town1)
    call_command("purge_audit")
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert {kept.pk, recent.pk, old_kept.pk} <= remaining
    assert old_gone.pk not in remaining
    assert verify().ok, "the chain still verifies from its new start"
    ev = AuditEvent.objects.get(action="audit.purged")
    assert ev.detail["deleted"] >= 1 and ev.detail["retention_days"] == max(184, setting)
    # the protection is back afterwards
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=old_kept.pk).delete()


def test_daily_housekeeping_is_scheduled_and_runs(county):
    from datetime import date

    from django_celery_beat.models import PeriodicTask

    from accounts.schedule import SCHEDULE_NAME, TASK_NAME
    from accounts.tasks import daily_housekeeping

    assert PeriodicTask.objects.get(name=SCHEDULE_NAME).task == TASK_NAME
    m = Membership.objects.get(user=county.t1_clerk)
    Membership.objects.filter(pk=m.pk).update(end_date=date(2021, 1, 1))  # ended without the signal
    result = daily_housekeeping.delay().get()
    assert result["grants_removed"] >= 1
    assert not visible_to(county.t1_clerk).exists()
