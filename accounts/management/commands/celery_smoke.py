"""manage.py celery_smoke — enqueue `qingdan.ping` and wait for a running worker to answer.

Exits non-zero when no worker answers within --timeout seconds (used by `make test`'s
embedded-default smoke and useful after an install)."""

import time
import uuid

from django.core.management.base import BaseCommand, CommandError

from config.celery import ping


class Command(BaseCommand):
    help = "Round-trip a task through the configured broker and a running worker."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60.0)

    def handle(self, *args, timeout, **options):
        token = uuid.uuid4().hex
        started = time.monotonic()
        result = ping.delay(token)
        try:
            answer = result.get(timeout=timeout, interval=0.1)
        except Exception as exc:  # TimeoutError or a broker/backend error: both mean "not working"
            raise CommandError(f"celery_smoke: no answer within {timeout:.0f} s ({type(exc).__name__}: {exc})")
        if answer != token:
            raise CommandError(f"celery_smoke: wrong answer {answer!r}")
        self.stdout.write(f"celery_smoke: ok in {time.monotonic() - started:.2f} s")
