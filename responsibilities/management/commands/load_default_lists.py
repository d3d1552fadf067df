from django.core.management.base import BaseCommand
from django.utils import timezone

from responsibilities.loading import load_default_lists


class Command(BaseCommand):
    help = "Load the shipped default duty lists (as drafts) and holidays for a year. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Year of the lists (default: this year).")

    def handle(self, *args, year=None, **options):
        year = year or timezone.localdate().year
        loaded = load_default_lists(year)
        self.stdout.write(
            f"{year}: {loaded.lists} lists ({loaded.items} items) and {loaded.holidays} holidays added."
        )
