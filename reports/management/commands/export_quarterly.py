from django.core.management.base import BaseCommand, CommandError

from accounts import audit
from accounts.models import OrgUnit
from reports.workbook import build_quarterly


class Command(BaseCommand):
    help = "Write the quarterly workbook (汇总, 逾期明细, 事项完成情况 and registered sheets) to a file."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--org", help="org code (default: the whole county)")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, year, quarter, org, output, **opts):
        root = None
        if org:
            root = OrgUnit.objects.filter(code=org).first()
            if root is None:
                raise CommandError(f"没有代码为 {org} 的单位")
        content = build_quarterly(None, year, quarter, org=root)
        with open(output, "wb") as fh:
            fh.write(content)
        audit.record("reports.exported", obj=root, org=root, report="quarterly", year=year, quarter=quarter,
                     scope=root.code if root else "*", via="command", username="manage.py")
        self.stdout.write(f"{output}: {len(content)} bytes")
