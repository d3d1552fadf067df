"""manage.py restore FILE — rebuild an EMPTY database and media folder from a backup archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.backup import RestoreRefused, restore


class Command(BaseCommand):
    help = ("Check a backup archive against its manifest and rebuild the database and the media folder from it. "
            "Both must be empty (a newly created database; run no migrate before). Then verifies the audit chain.")

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            with open(path, "rb") as raw:
                summary = restore(settings.DATABASES["default"], Path(settings.MEDIA_ROOT), raw,
                                  settings.QINGDAN_BACKUP_KEYS)
        except RestoreRefused as exc:
            raise CommandError(f"restore refused: {exc}") from None
        self.stdout.write(f"restored {summary.tables} tables, {summary.rows} rows, {summary.files} media files "
                          f"({summary.bytes} bytes)")
        from accounts.audit_chain import verify

        report = verify()
        if not report.ok:
            raise CommandError(f"restored, but the audit chain is broken: {report.problem}")
        self.stdout.write(f"audit chain intact: {report.checked} rows verified")
        from accounts import audit

        audit.record("backup.restored", file=path.name, tables=summary.tables, rows=summary.rows, files=summary.files)
