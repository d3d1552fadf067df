"""Run the reminder job once by hand, e.g. after an outage:

    manage.py sweep_reminders          # write due outbox rows, enqueue senders on the broker
    manage.py sweep_reminders --send   # … and send them here and now (no broker needed)

Safe to run at any time and any number of times: rows have unique keys and sending
claims rows, so nothing is sent twice."""

from django.core.management.base import BaseCommand

from notifications import services
from notifications.models import Outbox


class Command(BaseCommand):
    help = "Find reminders that are due, write them to the outbox, and enqueue (or with --send, send) them."

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="Send due rows in this process instead of enqueuing.")

    def handle(self, *args, send=False, verbosity=1, **options):
        before = Outbox.objects.count()
        result = services.run_sweep()
        added = Outbox.objects.count() - before
        self.stdout.write(
            f"business date {result.business_date}: {added} new outbox rows "
            f"({result.candidates} candidate tasks, {result.batches} batches)"
        )
        for kind, n in sorted(result.rows.items()):
            self.stdout.write(f"  {kind}: {n}")
        due = services.due_count()
        self.stdout.write(f"due now: {due}")
        if send:
            counts = services.deliver_due(time_budget=3600)
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing"
            self.stdout.write(f"sent here: {summary}")
        else:
            started = services.enqueue_senders(due)
            self.stdout.write(f"senders enqueued: {started}" + ("" if started or not due else " (broker unavailable? rows stay in the outbox)"))
