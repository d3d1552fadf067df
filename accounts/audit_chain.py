"""The audit trail's hash chain: every AuditEvent carries HMAC-SM3(key, its content ‖ the
previous row's MAC) and its position ``seq``. Appends take their turn on the chain head row
(SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions already serialise
writers), so concurrent writers never fork the chain. ``verify`` walks it and names the
first broken row: an edited row, a missing row, an unsealed row, or missing last rows."""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db import transaction

from .crypto import equal, hmac_sm3

DOMAIN_ROW = b"qingdan-audit-row-v1\n"
DOMAIN_HEAD = b"qingdan-audit-head-v1\n"
HEAD_PK = 1


class ChainError(Exception):
    """The chain cannot be extended (its head row is gone while rows remain)."""


def _canonical_json(value):
    """The detail as JSON would store and give it back, with numbers written one way only
    (PostgreSQL's jsonb may give 1e20 back as an integer)."""
    if isinstance(value, dict):
        return {str(k): _canonical_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical_json(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):  # tagged so that no stored string can pass for it (jsonb holds no NUL)
        return int(value) if value.is_integer() else "\u0000f:" + repr(value)
    return _canonical_json(json.loads(json.dumps(value)))


def _ip(value) -> str:
    return str(ipaddress.ip_address(value)) if value else ""


def content(ev, *, seq, prev_mac, key_id) -> bytes:
    at = ev.at.astimezone(UTC).isoformat(timespec="microseconds")
    fields = [
        seq, at, ev.actor_id, ev.actor_name, ev.action, ev.object_type, ev.object_id, ev.object_repr,
        ev.org_path, ev.result, _ip(ev.ip), ev.request_id, _canonical_json(ev.detail), prev_mac, key_id,
    ]
    return DOMAIN_ROW + json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def row_mac(ev, *, seq, prev_mac, key_id) -> str:
    key = settings.QINGDAN_AUDIT_KEYS.key(key_id)
    return hmac_sm3(key, content(ev, seq=seq, prev_mac=prev_mac, key_id=key_id)).hex()


def head_mac(head, key_id) -> str:
    text = f"{head.seq}|{head.mac}|{head.anchor_seq}|{head.anchor_mac}|{key_id}".encode()
    return hmac_sm3(settings.QINGDAN_AUDIT_KEYS.key(key_id), DOMAIN_HEAD + text).hex()


def seal_head(head) -> None:
    key_id = settings.QINGDAN_AUDIT_KEYS.current
    head.state_key, head.state_mac = key_id, head_mac(head, key_id)
    head.save()


def lock_head():
    """The head row, locked until the surrounding transaction ends (created when the
    tables were emptied, e.g. by a test flush)."""
    from .models import AuditChainHead, AuditEvent

    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is None:
        if AuditEvent.objects.exists():
            raise ChainError("the audit chain head is missing while audit rows remain: run manage.py verify_audit")
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=HEAD_PK)], ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)
    return head


def link(events, head) -> None:
    """Give ``events`` (in order) the positions and MACs that follow ``head``, and advance
    ``head`` in memory past them."""
    key_id = settings.QINGDAN_AUDIT_KEYS.current
    for ev in events:
        seq = head.seq + 1
        ev.seq, ev.prev_mac, ev.mac_key = seq, head.mac, key_id
        ev.mac = row_mac(ev, seq=seq, prev_mac=head.mac, key_id=key_id)
        head.seq, head.mac = seq, ev.mac


def seal(events) -> None:
    """Give ``events`` (unsaved, in order) their positions and MACs and advance the head.
    Call inside a transaction that also saves the events."""
    head = lock_head()
    link(events, head)
    seal_head(head)


def append(events, save) -> None:
    """Seal ``events`` and write them with ``save()`` in one turn on the chain."""
    with transaction.atomic(savepoint=False):
        seal(events)
        save()


@dataclass
class Report:
    checked: int
    problem: str = ""
    row_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


def verify(chunk_size: int = 2000, using: str = "default") -> Report:
    """Walk the chain in order; the first problem found, naming its row."""
    from .models import AuditChainHead, AuditEvent

    heads, events = AuditChainHead.objects.using(using), AuditEvent.objects.using(using)
    keys = settings.QINGDAN_AUDIT_KEYS
    unsealed = events.filter(seq__isnull=True).order_by("id").first() or \
        events.filter(mac="").order_by("id").first()
    if unsealed is not None:
        return Report(0, f"row id={unsealed.pk} carries no MAC: it was written around the application.", unsealed.pk)
    head = heads.filter(pk=HEAD_PK).first()
    if head is None:
        if events.exists():
            return Report(0, "the chain head row is missing.")
        return Report(0)
    if head.state_key not in keys.keys or not equal(head.state_mac, head_mac(head, head.state_key)):
        return Report(0, "the chain head row was altered (its MAC does not match).")
    expected, prev, checked = head.anchor_seq + 1, head.anchor_mac, 0
    rows = events.order_by("seq").iterator(chunk_size=chunk_size)
    for ev in rows:
        if ev.seq != expected:
            return Report(checked, f"rows {expected}–{ev.seq - 1} of the chain are missing before row id={ev.pk} "
                                   f"(seq {ev.seq}).", ev.pk)
        if ev.prev_mac != prev:
            return Report(checked, f"row id={ev.pk} (seq {ev.seq}) does not follow the row before it.", ev.pk)
        if ev.mac_key not in keys.keys:
            return Report(checked, f"row id={ev.pk} (seq {ev.seq}) was sealed with key {ev.mac_key!r}, "
                                   "which QINGDAN_AUDIT_KEYS does not hold.", ev.pk)
        if not equal(ev.mac, row_mac(ev, seq=ev.seq, prev_mac=ev.prev_mac, key_id=ev.mac_key)):
            return Report(checked, f"row id={ev.pk} (seq {ev.seq}) was altered: its MAC does not match its content.", ev.pk)
        prev, expected, checked = ev.mac, expected + 1, checked + 1
    if expected - 1 != head.seq or prev != head.mac:
        return Report(checked, f"the last rows of the chain are missing: it ends at seq {expected - 1}, "
                               f"the head says {head.seq}.")
    return Report(checked)


def anchor(head, seq: int, mac: str) -> None:
    """The retention purge removed every row up to ``seq`` (whose MAC was ``mac``): the first
    row left follows the anchor. ``head`` is locked."""
    if seq > head.anchor_seq:
        head.anchor_seq, head.anchor_mac = seq, mac
        seal_head(head)
