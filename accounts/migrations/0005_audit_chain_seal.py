"""Seal the rows written before the hash chain existed, in the order they were written, and
create the chain head. The append-only triggers are lifted for this one transaction."""

from importlib import import_module

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts import audit_chain

    AuditEvent = apps.get_model("accounts", "AuditEvent")
    AuditChainHead = apps.get_model("accounts", "AuditChainHead")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_append_only")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS accounts_auditevent_no_update")
    head = AuditChainHead.objects.create(pk=audit_chain.HEAD_PK)
    batch = []
    for ev in AuditEvent.objects.filter(seq__isnull=True).order_by("id").iterator(chunk_size=2000):
        batch.append(ev)
        if len(batch) == 2000:
            _seal(batch, head, AuditEvent)
            batch = []
    _seal(batch, head, AuditEvent)
    audit_chain.seal_head(head)
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE accounts_auditevent ENABLE TRIGGER accounts_auditevent_append_only")
    else:
        sql = import_module("accounts.migrations.0002_audit_append_only").SQLITE
        schema_editor.execute(next(s for s in sql if "no_update" in s))


def _seal(batch, head, AuditEvent):
    from accounts import audit_chain

    audit_chain.link(batch, head)
    AuditEvent.objects.bulk_update(batch, ["seq", "prev_mac", "mac", "mac_key"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_audit_chain")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
