"""manage.py purge_audit — drop audit rows older than AUDIT_RETENTION_DAYS (≥ 184 days)."""

from django.core.management.base import BaseCommand

from accounts.audit import purge


class Command(BaseCommand):
    help = "Delete audit events older than the retention period (never younger than 184 days)."

    def handle(self, *args, **options):
        self.stdout.write(f"{purge()} audit events purged")
