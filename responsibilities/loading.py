"""Loading the shipped defaults (``manage.py load_default_lists``, the demo, a
button on the lists page). Idempotent: a list that exists for the year is left
exactly as the county edited it; only missing lists and holidays are added."""

from dataclasses import dataclass

from django.db import transaction

from accounts import audit

from .defaults import HOLIDAYS, LISTS, SOURCE_NOTE
from .models import Checklist, ChecklistItem, Holiday


@dataclass
class Loaded:
    lists: int = 0
    items: int = 0
    holidays: int = 0


@transaction.atomic
def load_default_lists(year: int) -> Loaded:
    loaded = Loaded()
    for spec in LISTS:
        checklist, created = Checklist.objects.get_or_create(
            year=year, level=spec.level, bearer=spec.bearer,
            defaults={
                "title": spec.title.format(year=year), "review_by": spec.review_by,
                "source_note": SOURCE_NOTE, "version_note": "系统预置默认清单",
            },
        )
        if not created:
            continue
        items = [ChecklistItem(checklist=checklist, **row.fields(seq)) for seq, row in enumerate(spec.items, 1)]
        ChecklistItem.objects.bulk_create(items)
        loaded.lists += 1
        loaded.items += len(items)
    for y, days in HOLIDAYS.items():
        for name, day in days.items():
            _, created = Holiday.objects.get_or_create(year=y, name=name, defaults={"date": day})
            loaded.holidays += created
    if loaded.lists or loaded.holidays:
        audit.record("responsibilities.defaults_loaded", year=year, lists=loaded.lists, items=loaded.items, holidays=loaded.holidays)
    return loaded
