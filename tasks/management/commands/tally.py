"""manage.py tally [--rebuild] — check (and with --rebuild first recount) the task counts
the dashboard and progress pages read (tasks.tally). Exit status 1 when a count differs."""

import time

from django.core.management.base import BaseCommand, CommandError

from tasks import tally


class Command(BaseCommand):
    help = "Verify the task counts against a recount of the tasks; --rebuild recounts them first."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="recount every tally from the tasks, then verify")

    def handle(self, *args, rebuild, **options):
        if not tally.available():
            raise CommandError("The task counts are kept on PostgreSQL only.")
        if rebuild:
            t = time.perf_counter()
            rows = tally.rebuild()
            self.stdout.write(f"rebuilt: {', '.join(f'{k} {v:,} rows' for k, v in rows.items())} in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        diff = tally.verify()
        self.stdout.write(f"verified in {time.perf_counter() - t:.1f} s: "
                          + ", ".join(f"{k} {'exact' if v == 0 else f'{v} rows differ'}" for k, v in diff.items()))
        if any(diff.values()):
            raise CommandError("The task counts differ from a recount: run manage.py tally --rebuild.")
