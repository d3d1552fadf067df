"""Writing the audit trail. Call ``record`` inside the transaction of the action it
describes: if the action rolls back, so does its audit row, and if the audit row
cannot be written the action fails (fail closed, 等保 8.1.4.3 d). Every row is sealed into
the hash chain (audit_chain.py) as it is written."""

import contextvars
import re

from . import audit_chain
from .models import AuditEvent

_request_context: contextvars.ContextVar[dict] = contextvars.ContextVar("qingdan_request", default={})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
BREAK_GLASS = "break_glass"  # the detail key flagging what the superuser did


def set_request_context(**values) -> contextvars.Token:
    return _request_context.set(values)


def reset_request_context(token) -> None:
    _request_context.reset(token)


def request_context() -> dict:
    return _request_context.get()


def _clean(text, limit):
    return _CONTROL.sub(" ", str(text or ""))[:limit]


def _event(action, *, user, obj, result, org, detail, ctx) -> AuditEvent:
    if user is None:
        user = ctx.get("user")
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is not None and user.is_superuser:
        detail = {**detail, BREAK_GLASS: True}  # the break-glass account: flagged wherever it acts
    if org is None and obj is not None:
        org = getattr(obj, "org", None)
        if org is None and obj.__class__.__name__ == "OrgUnit":
            org = obj
    return AuditEvent(
        actor=user,
        actor_name=_clean(getattr(user, "username", "") if user else detail.pop("username", ""), 150),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_clean(obj, 200) if obj is not None else "",
        org_path=getattr(org, "path", "") or "",
        result=result,
        ip=ctx.get("ip"),
        request_id=ctx.get("request_id", ""),
        detail={k: (_clean(v, 500) if isinstance(v, str) else v) for k, v in detail.items()},
    )


def record(action: str, *, user=None, obj=None, result: str = AuditEvent.Result.SUCCESS, org=None, **detail) -> AuditEvent:
    event = _event(action, user=user, obj=obj, result=result, org=org, detail=detail, ctx=request_context())
    event.save()  # sealed into the hash chain (AuditEvent.save)
    return event


def record_many(action: str, objs, *, user=None, detail_for=None, result: str = AuditEvent.Result.SUCCESS,
                **detail) -> list[AuditEvent]:
    """One audit row per object of ``objs`` (as ``record`` would write it), in one insert.
    ``detail_for(obj)`` adds that object's own details to the shared ``detail``."""
    ctx = request_context()
    events = [
        _event(action, user=user, obj=obj, result=result, org=None,
               detail={**detail, **(detail_for(obj) if detail_for else {})}, ctx=ctx)
        for obj in objs
    ]
    if not events:
        return []
    audit_chain.append(events, lambda: AuditEvent.objects.bulk_create(events, batch_size=2000))
    return events


MIN_RETENTION_DAYS = 184  # 网络安全法: at least six months, whatever the setting says


def purge(now=None) -> int:
    """Delete audit rows older than AUDIT_RETENTION_DAYS (never fewer than 184 days), from the
    start of the hash chain up to the first row young enough to keep; the chain's anchor moves
    to the last row removed, so what is left still verifies.

    The only way rows leave the trail: PostgreSQL lets the DELETE through the trigger
    for this transaction only (``SET LOCAL qingdan.audit_purge``); SQLite drops and
    re-creates its delete trigger inside the same transaction. The purge is itself audited."""
    from datetime import timedelta
    from importlib import import_module

    from django.conf import settings
    from django.db import connection, transaction
    from django.db.models import Min
    from django.utils import timezone

    days = max(MIN_RETENTION_DAYS, settings.AUDIT_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        head = audit_chain.lock_head()
        # rows leave from the chain's start only: up to the first row young enough to keep
        first_kept = AuditEvent.objects.filter(at__gte=cutoff).aggregate(m=Min("seq"))["m"]
        boundary = head.seq + 1 if first_kept is None else first_kept
        last_mac = AuditEvent.objects.filter(seq=boundary - 1).values_list("mac", flat=True).first()
        with connection.cursor() as c:
            if connection.vendor == "postgresql":
                c.execute("SET LOCAL qingdan.audit_purge = 'on'")
                c.execute("DELETE FROM accounts_auditevent WHERE seq < %s", [boundary])
                deleted = c.rowcount
                c.execute("SET LOCAL qingdan.audit_purge = 'off'")
            else:
                sql = import_module("accounts.migrations.0002_audit_append_only").SQLITE
                c.execute("DROP TRIGGER IF EXISTS accounts_auditevent_no_delete")
                c.execute("DELETE FROM accounts_auditevent WHERE seq < %s", [boundary])
                deleted = c.rowcount
                c.execute(next(s for s in sql if "no_delete" in s))
        if last_mac is not None:
            audit_chain.anchor(head, boundary - 1, last_mac)
        record("audit.purged", deleted=deleted, older_than=cutoff.isoformat(), retention_days=days)
    return deleted
