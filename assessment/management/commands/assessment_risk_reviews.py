from django.core.management.base import BaseCommand
from django.utils import timezone

from assessment.risk_reviews import ensure_risk_reviews


class Command(BaseCommand):
    help = "Create this year's integrity-risk review task of every org with risk points (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, year=None, **options):
        year = year or timezone.localdate().year
        self.stdout.write(f"{ensure_risk_reviews(year)} review task(s) created for {year}")
