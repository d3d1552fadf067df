"""Demo data of the assessment app: this year's scoring rule (late work earns half,
a late rectification measure costs 1 point), category caps, a bonus for a town whose
practice was adopted by the city and a deduction for a discipline case in another.
Goes through the services (audited). Idempotent: rows already there are kept."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import OrgUnit, User

from . import services
from .models import Adjustment, AdjustmentCategory, ScoringRule

CAPS = {
    AdjustmentCategory.EXPERIENCE: Decimal("10"),
    AdjustmentCategory.CASES: Decimal("5"),
    AdjustmentCategory.DISCIPLINE_CASE: Decimal("20"),
    AdjustmentCategory.UNRECTIFIED: Decimal("10"),
    AdjustmentCategory.OTHER: Decimal("5"),
}

ADJUSTMENTS = [
    ("T01", "bonus", AdjustmentCategory.EXPERIENCE, Decimal("5"), "“小微权力清单”做法被市纪委监委推广"),
    ("T03", "deduction", AdjustmentCategory.DISCIPLINE_CASE, Decimal("3"), "村干部违规发放补贴被立案审查"),
]


@transaction.atomic
def seed(stdout=None):
    year = timezone.localdate().year
    staff = User.objects.filter(username="jw_staff").first()
    if staff is None or not OrgUnit.objects.filter(code="C").exists():
        if stdout is not None:
            stdout.write("assessment: demo county missing, skipped.")
        return 0
    created = 0
    if not ScoringRule.objects.filter(year=year).exists():
        rule = ScoringRule(year=year, late_share=Decimal("0.5"), measure_late_deduction=Decimal("1"))
        services.save_rule(staff, rule, dict(CAPS))
        created += 1
    for code, kind, category, points, reason in ADJUSTMENTS:
        org = OrgUnit.objects.filter(code=code).first()
        if org is None or Adjustment.objects.filter(org=org, year=year, reason=reason).exists():
            continue
        services.add_adjustment(staff, org=org, year=year, kind=kind, category=category, points=points, reason=reason)
        created += 1
    if stdout is not None:
        stdout.write(f"assessment: {created} rows (scoring rule {year}, caps, adjustments).")
    return created
