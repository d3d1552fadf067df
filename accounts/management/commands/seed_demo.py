"""manage.py seed_demo — the demo county of `make run` (idempotent).

Builds accounts' org tree and users, then calls ``seed(stdout)`` of every installed
app that has a ``demo`` module (lists and tasks, inspections, …), and prints the
demo accounts. Refused in production mode: demo passwords are public.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import demo


class Command(BaseCommand):
    help = "Create the demo county, its users and every app's demo data (idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo is refused in production mode (demo passwords are public).")
        rows = demo.seed(self.stdout)
        for config in apps.get_app_configs():
            if config.name == "accounts" or not find_spec(config.name):
                continue
            name = f"{config.name}.demo"
            try:
                spec = find_spec(name)
            except ModuleNotFoundError:
                spec = None
            if spec is None:
                continue
            import_module(name).seed(self.stdout)
        self.stdout.write(f"password for every demo account: {demo.DEMO_PASSWORD}")
        for username, full_name, org, role in rows:
            self.stdout.write(f"  {username:<14} {full_name:<6} {org:<8} {role}")
        self.stdout.write(f"  {demo.NAMING}")
        self.stdout.write(f"  {demo.DEMO_TOTP_HINT}")
