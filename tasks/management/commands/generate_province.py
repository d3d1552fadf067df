"""manage.py generate_province --counties N --towns T --villages-per-town V [--years 5]

Builds 基准省 (code ``P``, of kind province) as a new tree root over N benchmark counties (each what
``generate_county`` builds: its 纪委监委 and other departments, T towns of V villages,
people at every org; accounts.benchmark), then fills ``--years`` years of tasks in
realistic states by COPY (tasks.bulkload) and checks the task counts (tasks.tally).
100 × 20 × 20 gives 43,101 orgs and, over five years, about ten million tasks.
``--tasks-only`` fills the tasks of a tree built before (the county ``--code B`` too).
"""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.benchmark import province_spec
from accounts.bulk import build
from accounts.demo import DEMO_PASSWORD
from accounts.models import OrgUnit
from tasks import bulkload, tally


class Command(BaseCommand):
    help = "Build a benchmark province (N counties under one root) and fill years of tasks by COPY."

    def add_arguments(self, parser):
        parser.add_argument("--counties", type=int, default=100)
        parser.add_argument("--towns", type=int, default=20)
        parser.add_argument("--villages-per-town", type=int, default=20)
        parser.add_argument("--departments", type=int, default=10)
        parser.add_argument("--staff", type=int, default=5, help="纪委监委 staff accounts at the root and at each county")
        parser.add_argument("--years", type=int, default=5, help="years of tasks, this one included (0: none)")
        parser.add_argument("--code", default="P")
        parser.add_argument("--name", default="基准省")
        parser.add_argument("--password", default=DEMO_PASSWORD)
        parser.add_argument("--tasks-only", action="store_true", help="only fill the tasks of the root --code built before")

    def handle(self, *args, counties, towns, villages_per_town, departments, staff, years, code, name, password,
               tasks_only, **options):
        if settings.PRODUCTION:
            raise CommandError("generate_province is refused in production mode (its passwords are public).")
        if not (1 <= counties <= 999 and 1 <= towns <= 999 and 0 <= villages_per_town <= 999 and 0 <= departments <= 99
                and 0 <= years <= 20):
            raise CommandError("--counties 1..999, --towns 1..999, --villages-per-town 0..999, --departments 0..99, --years 0..20")
        if not code.isalnum():
            raise CommandError("--code must be letters and digits only.")
        if years and connection.vendor != "postgresql":
            raise CommandError("Tasks are loaded by COPY: PostgreSQL only (or --years 0).")
        root = OrgUnit.objects.filter(code=code, depth=1).first()
        t = time.perf_counter()
        if root is None and tasks_only:
            raise CommandError(f"No root org with code {code}.")
        if root is None:
            spec = province_spec(code, name, counties, towns, villages_per_town, departments, staff)
            result = build(spec, password=password, start=date(timezone.localdate().year - years, 1, 1))
            root = result.root
            self.stdout.write(f"{name}: {result.orgs:,} orgs, {result.users:,} accounts, {result.memberships:,} memberships "
                              f"in {time.perf_counter() - t:.1f} s (password {password})")
        elif not tasks_only:
            self.stdout.write(f"a root with code {code} exists already: its tasks are filled where missing")
        if not years:
            return
        t = time.perf_counter()
        n = bulkload.load(root, years, say=self.stdout.write)
        loaded = time.perf_counter() - t
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        diff = tally.verify()
        self.stdout.write(f"{n:,} tasks loaded in {loaded:.1f} s ({n / max(loaded, 1e-9):,.0f} a second); "
                          f"analyzed and counts verified in {time.perf_counter() - t - loaded:.1f} s: "
                          + ", ".join(f"{k} {'exact' if v == 0 else f'{v} rows differ'}" for k, v in diff.items()))
        if any(diff.values()):
            raise CommandError("The task counts differ from a recount.")
