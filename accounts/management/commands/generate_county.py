"""manage.py generate_county --towns N --villages-per-town M — the benchmark county.

Builds 基准县 (code ``B``) as a new tree root: its 纪委监委 and other departments,
N towns of M villages each, and people at every org (bulk inserts, see
accounts.bulk). 20 × 20 gives 431 orgs and about 2,200 accounts.

Every account's password is ``--password`` (default: the demo password).
Usernames: ``b_staff1``…, ``b_party`` (county), ``bd01_party`` (department 1),
``bt01_disc`` (town 1), ``bt01v01_clerk`` (village 1 of town 1) …
If a county with the code already exists nothing is written (exit status 0).
"""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.benchmark import county_spec
from accounts.bulk import build
from accounts.demo import DEMO_PASSWORD
from accounts.models import OrgUnit

class Command(BaseCommand):
    help = "Build the benchmark county (N towns × M villages, departments, ~5 accounts per org) with bulk inserts."

    def add_arguments(self, parser):
        parser.add_argument("--towns", type=int, default=20)
        parser.add_argument("--villages-per-town", type=int, default=20)
        parser.add_argument("--departments", type=int, default=10)
        parser.add_argument("--staff", type=int, default=5, help="纪委监委 staff accounts at the county root")
        parser.add_argument("--code", default="B", help="code of the county root (prefix of every code and username)")
        parser.add_argument("--name", default="基准县")
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args, towns, villages_per_town, departments, staff, code, name, password, **options):
        if settings.PRODUCTION:
            raise CommandError("generate_county is refused in production mode (its passwords are public).")
        if not (1 <= towns <= 999 and 0 <= villages_per_town <= 999 and 0 <= departments <= 99):
            raise CommandError("--towns 1..999, --villages-per-town 0..999, --departments 0..99")
        if not code.isalnum():
            raise CommandError("--code must be letters and digits only.")
        if OrgUnit.objects.filter(code=code).exists():
            self.stdout.write(f"a county with code {code} already exists: nothing written")
            return
        t = time.perf_counter()
        spec = county_spec(code, name, towns, villages_per_town, departments, staff)
        result = build(spec, password=password, start=date(timezone.localdate().year - 1, 1, 1))
        self.stdout.write(
            f"{name}: {result.orgs} orgs, {result.users} accounts, {result.memberships} memberships, "
            f"{result.grants} grants in {time.perf_counter() - t:.1f} s (password {password})"
        )
