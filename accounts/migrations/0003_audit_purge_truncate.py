"""PostgreSQL: the purge switch (``SET qingdan.audit_purge = 'on'``, used only by the
retention purge and by test teardown) also lets TRUNCATE through. Without it, UPDATE,
DELETE and TRUNCATE stay refused. SQLite is unchanged (its triggers are dropped and
re-created around a purge)."""

from django.db import migrations

FUNCTION = """CREATE OR REPLACE FUNCTION accounts_auditevent_refuse() RETURNS trigger AS $$
   BEGIN
     IF current_setting('qingdan.audit_purge', true) = 'on' AND TG_OP IN ('DELETE', 'TRUNCATE') THEN
       IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
       RETURN NULL;
     END IF;
     RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'integrity_constraint_violation';
   END; $$ LANGUAGE plpgsql;"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from importlib import import_module

        schema_editor.execute(import_module("accounts.migrations.0002_audit_append_only").POSTGRES[0])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
