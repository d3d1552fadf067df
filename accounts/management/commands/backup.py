"""manage.py backup FILE — the database and the media files as one SM4-encrypted archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import audit
from accounts.backup import backup


class Command(BaseCommand):
    help = ("Write the database (pg_dump, or SQLite's online backup) and every media file into one archive "
            "encrypted with SM4-GCM under QINGDAN_BACKUP_KEYS, with a manifest of sha256 sums.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the file to write (refused if it exists)")

    def handle(self, *args, archive, **options):
        path = Path(archive)
        if path.exists():
            raise CommandError(f"{path} exists already: choose a new file name.")
        audit.record("backup.started", file=path.name)  # in the archive: the trail shows each backup
        try:
            with open(path, "xb") as out:
                summary = backup(settings.DATABASES["default"], Path(settings.MEDIA_ROOT), out,
                                 settings.QINGDAN_BACKUP_KEYS)
        except Exception:
            path.unlink(missing_ok=True)
            raise
        path.chmod(0o600)
        self.stdout.write(f"{path}: {summary.tables} tables, {summary.rows} rows, {summary.files} media files "
                          f"({summary.bytes} bytes), encrypted with key {settings.QINGDAN_BACKUP_KEYS.current}")
