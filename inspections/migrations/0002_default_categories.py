from django.db import migrations

DEFAULTS = ["党的领导", "党的建设", "全面从严治党", "选人用人", "群众身边腐败和作风问题", "其他"]


def add(apps, schema_editor):
    FindingCategory = apps.get_model("inspections", "FindingCategory")
    for i, name in enumerate(DEFAULTS, start=1):
        FindingCategory.objects.get_or_create(name=name, defaults={"seq": i})


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
