"""Copying a year's lists, and the holiday calendar."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit

from . import task_sync
from .choices import Frequency, HolidayName
from .holidays import holiday_pairs
from .models import Checklist, ChecklistItem, Holiday
from .validation import ITEM_FIELDS, item_errors


@transaction.atomic
def copy_year(from_year: int, to_year: int, user) -> tuple[list[Checklist], list[Checklist]]:
    """Copy every list of ``from_year`` (active items) into drafts for ``to_year``.
    Lists that already exist in ``to_year`` are left alone. Returns (created, skipped)."""
    if from_year == to_year:
        raise ValidationError(_("Choose two different years."))
    if not 2000 <= to_year <= 2100:
        raise ValidationError(_("Choose a year between 2000 and 2100."))
    sources = list(Checklist.objects.filter(year=from_year).prefetch_related("items"))
    if not sources:
        raise ValidationError(_("There are no lists in %(year)s to copy.") % {"year": from_year})
    created, skipped = [], []
    for src in sources:
        if Checklist.objects.filter(year=to_year, level=src.level, bearer=src.bearer).exists():
            skipped.append(src)
            continue
        new = Checklist.objects.create(
            year=to_year, level=src.level, bearer=src.bearer, title=src.title.replace(str(from_year), str(to_year)),
            review_by=src.review_by, source_note=src.source_note,
            version_note=_("Copied from %(year)s") % {"year": from_year},
        )
        ChecklistItem.objects.bulk_create(
            [
                ChecklistItem(checklist=new, **{f: getattr(i, f) for f in ITEM_FIELDS})
                for i in src.items.all() if i.is_active
            ]
        )
        created.append(new)
    audit.record("responsibilities.year_copied", from_year=from_year, to_year=to_year,
                 created=[c.pk for c in created], skipped=[s.pk for s in skipped])
    return created, skipped


@transaction.atomic
def save_holidays(year: int, dates: dict, user) -> int:
    """Set the holiday calendar of ``year`` ({name: date}); checks every 节点 item
    of that year still gets valid due dates, and moves not-started 节点 tasks.
    Returns the number of tasks moved."""
    errors = {}
    for name, day in dates.items():
        if name not in HolidayName.values:
            errors[name] = [_("Unknown holiday.")]
        elif day is None:
            errors[name] = [_("Give the date.")]
        elif day.year != year:
            errors[name] = [_("The date must fall in %(year)s.") % {"year": year}]
    if errors:
        raise ValidationError(errors)
    old = holiday_pairs(year)
    old_rows = {h.name: h for h in Holiday.objects.select_for_update().filter(year=year)}
    changed = {}
    for name, day in dates.items():
        row = old_rows.get(name)
        if row is None:
            Holiday.objects.create(year=year, name=name, date=day)
            changed[name] = ["", str(day)]
        elif row.date != day:
            changed[name] = [str(row.date), str(day)]
            row.date = day
            row.save(update_fields=["date"])
    if not changed:
        return 0
    new = holiday_pairs(year)
    # 元旦 of ``year`` closes the 节点 periods of ``year - 1``.
    items = list(
        ChecklistItem.objects.filter(
            checklist__year__in=(year, year - 1), frequency=Frequency.HOLIDAY, is_active=True
        ).exclude(checklist__status=Checklist.Status.ARCHIVED).select_related("checklist")
    )
    problems = []
    for item in items:
        for messages in item_errors(item).values():
            problems += [_("%(list)s, item %(seq)s: %(message)s") % {"list": item.checklist.title, "seq": item.seq, "message": m} for m in messages]
    if problems:
        raise ValidationError(problems)
    moved = 0
    for y in (year, year - 1):
        mine = [i for i in items if i.checklist.year == y and i.checklist.status == Checklist.Status.PUBLISHED]
        if mine:
            before = old if y == year else (holiday_pairs(y)[0], old[0])
            after = new if y == year else (holiday_pairs(y)[0], new[0])
            moved += task_sync.reschedule_holiday_items(mine, before, after, y, actor=user)
    audit.record("responsibilities.holidays_saved", year=year, changed=changed, tasks_moved=moved)
    return moved
