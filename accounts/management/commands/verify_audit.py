"""manage.py verify_audit — walk the audit trail's hash chain; exit 1 naming the first broken row."""

from django.core.management.base import BaseCommand, CommandError

from accounts.audit_chain import verify


class Command(BaseCommand):
    help = "Verify the HMAC-SM3 hash chain of the audit trail and name the first broken row."

    def handle(self, *args, **options):
        report = verify()
        if not report.ok:
            raise CommandError(f"audit chain broken after {report.checked} good rows: {report.problem}")
        self.stdout.write(f"audit chain intact: {report.checked} rows verified")
