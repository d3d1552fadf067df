"""Demo data of the responsibilities app: this year's shipped lists, all
published with every period of the year (include_past), so the demo county has
a full year of tasks. Idempotent: run it again and nothing changes."""

from django.utils import timezone

from tasks.generation import generate_year

from . import services
from .loading import load_default_lists
from .models import Checklist


def seed(stdout=None):
    year = timezone.localdate().year
    loaded = load_default_lists(year)
    published = 0
    for checklist in Checklist.objects.filter(year=year, status=Checklist.Status.DRAFT):
        services.publish(checklist, None, include_past=True)
        published += 1
    created = generate_year(year, include_past=True)  # orgs or members added since the first run
    if stdout is not None:
        stdout.write(
            f"responsibilities: {loaded.lists} lists loaded, {published} published for {year}, "
            f"{created} further tasks created."
        )
    return published
