"""Excel import and export of one list.

Import is all or nothing: the file is checked (accounts.xlsx), headers and
duplicate 序号 are checked, then every row goes through the resource (and so
through the services' validation) inside one transaction; if any row fails,
everything is rolled back and the user gets one message per problem with its
Excel row number."""

from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.xlsx import read_rows

from . import services
from .models import Checklist
from .resources import COLUMNS, HEADERS, REQUIRED_HEADERS, ChecklistItemResource


def export_xlsx(checklist: Checklist) -> bytes:
    dataset = ChecklistItemResource(checklist).export()
    dataset.title = "清单"
    return dataset.export("xlsx")


@dataclass
class ImportReport:
    ok: bool
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _row_message(row_number: int, header: str, message: str) -> str:
    if header:
        return _("Row %(row)s, %(column)s: %(message)s") % {"row": row_number, "column": header, "message": message}
    return _("Row %(row)s: %(message)s") % {"row": row_number, "message": message}


def _dataset(data) -> tuple[tablib.Dataset, list[int], list[str]]:
    """(dataset, Excel row number of each data row, problems)."""
    rows = read_rows(data, max_rows=settings.QINGDAN_LIST_MAX_ITEMS)
    if not rows:
        return tablib.Dataset(), [], [_("The file has no rows.")]
    _number, header_row = rows[0]
    headers = [str(h).strip() if h is not None else "" for h in header_row]
    known = {h for _a, h, _w in COLUMNS}
    problems = [_("The column “%(name)s” is missing.") % {"name": h} for h in REQUIRED_HEADERS if h not in headers]
    seen = set()
    for h in headers:
        if h and h in seen:
            problems.append(_("The column “%(name)s” appears twice.") % {"name": h})
        seen.add(h)
    keep = [i for i, h in enumerate(headers) if h in known]
    dataset = tablib.Dataset(headers=[headers[i] for i in keep])
    numbers = []
    for number, values in rows[1:]:
        values = list(values) + [None] * (len(headers) - len(values))
        dataset.append([values[i] for i in keep])
        numbers.append(number)
    if not numbers:
        problems.append(_("The file has no item rows."))
    return dataset, numbers, problems


def _duplicate_numbers(dataset, numbers) -> list[str]:
    if "序号" not in dataset.headers:
        return []
    where: dict[str, list[int]] = {}
    for number, value in zip(numbers, dataset["序号"], strict=True):
        key = str(value).strip() if value is not None else ""
        if key.endswith(".0"):
            key = key[:-2]
        if key:
            where.setdefault(key, []).append(number)
    return [
        _row_message(rows[1], "序号", _("Number %(seq)s is used again (first in row %(first)s).") % {"seq": seq, "first": rows[0]})
        for seq, rows in where.items() if len(rows) > 1
    ]


def import_xlsx(checklist: Checklist, data, user) -> ImportReport:
    """Import ``data`` (bytes or an uploaded file); the file is checked before any transaction."""
    try:
        dataset, numbers, problems = _dataset(data)
    except ValidationError as e:
        return ImportReport(False, errors=list(e.messages))
    if checklist.status == Checklist.Status.ARCHIVED:
        problems.append(_("An archived list cannot be edited."))
    problems += _duplicate_numbers(dataset, numbers)
    if problems:
        return ImportReport(False, errors=problems)

    resource = ChecklistItemResource(checklist, user)
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True)
        errors = [str(e.error) for e in result.base_errors]
        for index, row_errors in result.row_errors():
            number = numbers[index - 1] if 0 < index <= len(numbers) else index
            errors += [_row_message(number, "", str(err.error)) for err in row_errors]
        for invalid in result.invalid_rows:
            number = numbers[invalid.number - 1] if 0 < invalid.number <= len(numbers) else invalid.number
            for attr, messages in invalid.error_dict.items():
                header = "" if attr == NON_FIELD_ERRORS else HEADERS.get(attr, attr)
                errors += [_row_message(number, header, m) for m in messages]
        if errors:
            transaction.set_rollback(True)
            return ImportReport(False, errors=errors)
        totals = result.totals
        report = ImportReport(True, created=totals.get("new", 0), updated=totals.get("update", 0))
        if report.created or report.updated:
            services.touch(checklist)  # one new version for the whole file
        audit.record("responsibilities.list_imported", obj=checklist, created=report.created, updated=report.updated, rows=len(numbers))
        return report
