import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from tasks.generation import generate_year


class Command(BaseCommand):
    help = (
        "Create the missing tasks of every published duty list of a year (exactly once: "
        "running it again creates nothing). Use after restoring a backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Year (default: this year).")
        parser.add_argument(
            "--include-past", action="store_true",
            help="Also create periods whose due date has already passed (they will be overdue).",
        )

    def handle(self, *args, year=None, include_past=False, **options):
        year = year or timezone.localdate().year
        started = time.monotonic()
        created = generate_year(year, include_past=include_past)
        self.stdout.write(f"{created} rows created for {year} in {time.monotonic() - started:.2f} s.")
