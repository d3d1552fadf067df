import io

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, Membership, OrgUnit
from assessment import demo
from assessment.models import Adjustment, CategoryCap, ScoringRule
from tests.county import make_user

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_audited():
    county = OrgUnit.add_root(name="示范县", code="C", kind="county")
    county.add_child(name="城关镇", code="T01", kind="town")
    county.refresh_from_db()
    county.add_child(name="河口镇", code="T03", kind="town")
    staff = make_user("jw_staff")
    Membership.objects.create(user=staff, org=county, role="commission_staff", start_date="2020-01-01")
    out = io.StringIO()
    assert demo.seed(out) == 3
    year = timezone.localdate().year
    rule = ScoringRule.objects.get(year=year)
    assert rule.late_share == demo.Decimal("0.5")
    assert CategoryCap.objects.filter(year=year).count() == len(demo.CAPS)
    assert sorted(Adjustment.objects.values_list("org__code", "kind")) == [("T01", "bonus"), ("T03", "deduction")]
    audits = AuditEvent.objects.filter(action__startswith="assessment.").count()
    assert audits >= 3
    assert demo.seed(out) == 0
    assert Adjustment.objects.count() == 2 and ScoringRule.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="assessment.").count() == audits
    assert "assessment:" in out.getvalue()


def test_seed_without_county_skips():
    out = io.StringIO()
    assert demo.seed(out) == 0
    assert "skipped" in out.getvalue()
