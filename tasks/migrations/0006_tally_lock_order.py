from django.db import migrations


def reinstall(apps, schema_editor):
    from tasks import tally

    tally.install(schema_editor.connection)


class Migration(migrations.Migration):
    """The counts' trigger takes the audit chain's head first (one lock order for every writer)."""

    dependencies = [("tasks", "0005_merge_letter_kind_task_tally"), ("accounts", "0007_merge_0004_admin_roles_0006_encrypt_fields")]

    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
