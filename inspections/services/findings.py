"""Findings (问题): one by one, or imported from the 反馈意见 Excel (all or nothing)."""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import OrgUnit
from accounts.xlsx import cell_date, cell_text, read_rows

from ..models import Finding, FindingCategory
from .common import require_manager

IMPORT_HEADERS = ["序号", "单位", "问题类别", "问题描述", "问题来源", "严重程度", "发现日期"]
SOURCE_BY_LABEL = {"巡察": "inspection", "审计": "audit", "专项检查": "special_check", "信访": "petition"}
SEVERITY_BY_LABEL = {"轻微": "minor", "一般": "general", "严重": "serious"}
HEADER_ROWS = 5  # the header row is found among the first five


def _next_seq(inspection) -> int:
    return (Finding.objects.filter(inspection=inspection).aggregate(m=Max("seq"))["m"] or 0) + 1


def _check_org(inspection, org):
    if org is None or not org.path.startswith(inspection.org.path):
        raise ValidationError({"org": _("The organisation must be the inspected organisation or one below it.")})


@transaction.atomic
def create_finding(user, inspection, *, category, description, source, severity, found_on, org=None) -> Finding:
    require_manager(user, inspection.org)
    org = org or inspection.org
    _check_org(inspection, org)
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe the problem.")})
    finding = Finding.objects.create(
        inspection=inspection, org=org, seq=_next_seq(inspection), category=category, description=description.strip(),
        source=source, severity=severity, found_on=found_on, created_by=user,
    )
    audit.record("inspections.finding_created", obj=finding, inspection=inspection.pk, seq=finding.seq)
    return finding


def parse_findings(inspection, uploaded) -> tuple[list[dict], list[str]]:
    """Read the workbook; return (rows, errors). Each error names its row in Chinese."""
    try:
        found = read_rows(uploaded, max_rows=settings.IMPORT_MAX_ROWS, header_rows=HEADER_ROWS)
    except ValidationError as e:
        return [], list(e.messages)
    header = None
    for i, (number, row) in enumerate(found):
        if number > HEADER_ROWS:
            break
        cells = [cell_text(c) for c in row]
        if "问题描述" in cells:
            header, found = cells, found[i + 1:]
            break
    if header is None:
        return [], [_("No header row with the column “问题描述” in the first five rows.")]
    col = {name: header.index(name) for name in IMPORT_HEADERS if name in header}
    missing = [n for n in ("单位", "问题类别", "问题描述") if n not in col]
    if missing:
        return [], [_("Missing columns: %(cols)s") % {"cols": "、".join(missing)}]
    orgs = {o.name: o for o in OrgUnit.objects.filter(path__startswith=inspection.org.path, is_active=True)}
    categories = {c.name: c for c in FindingCategory.objects.filter(is_active=True)}
    today = timezone.localdate()
    rows, errors = [], []
    for n, row in found:
        cells = list(row) + [None] * len(IMPORT_HEADERS)

        def get(name):
            return cells[col[name]] if name in col else None

        problems = []
        org_name = cell_text(get("单位")) or inspection.org.name
        org = orgs.get(org_name)
        if org is None:
            problems.append(_("unknown organisation “%(name)s” (must be %(target)s or below it)") % {"name": org_name, "target": inspection.org.name})
        category = categories.get(cell_text(get("问题类别")))
        if category is None:
            problems.append(_("unknown category “%(name)s”") % {"name": cell_text(get("问题类别"))})
        description = cell_text(get("问题描述"))
        if not description:
            problems.append(_("the description is empty"))
        source = SOURCE_BY_LABEL.get(cell_text(get("问题来源")) or "巡察")
        if source is None:
            problems.append(_("unknown source “%(name)s”") % {"name": cell_text(get("问题来源"))})
        severity = SEVERITY_BY_LABEL.get(cell_text(get("严重程度")) or "一般")
        if severity is None:
            problems.append(_("unknown severity “%(name)s”") % {"name": cell_text(get("严重程度"))})
        found_on = inspection.feedback_date or today
        if cell_text(get("发现日期")):
            try:
                found_on = cell_date(get("发现日期"))
            except ValueError:
                problems.append(_("the date “%(value)s” is not a date") % {"value": cell_text(get("发现日期"))})
        if problems:
            errors.append(_("Row %(row)s: %(problems)s") % {"row": n, "problems": "；".join(problems)})
        else:
            rows.append(dict(org=org, category=category, description=description, source=source, severity=severity, found_on=found_on))
    if not rows and not errors:
        errors.append(_("The file contains no findings."))
    return rows, errors


def import_findings(user, inspection, uploaded) -> list[Finding]:
    """All or nothing: any row error → ValidationError listing every bad row, nothing saved.

    The file is checked and read before the transaction is opened."""
    require_manager(user, inspection.org)
    rows, errors = parse_findings(inspection, uploaded)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _save_findings(user, inspection, rows)


def _save_findings(user, inspection, rows) -> list[Finding]:
    seq = _next_seq(inspection)
    created = []
    for i, row in enumerate(rows):
        created.append(Finding.objects.create(inspection=inspection, seq=seq + i, created_by=user, **row))
    audit.record("inspections.findings_imported", obj=inspection, count=len(created))
    return created
