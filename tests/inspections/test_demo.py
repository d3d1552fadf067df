import io

import pytest

from accounts.models import Membership, OrgUnit
from inspections import demo
from inspections.models import Document, EscalationDocument, Finding, Measure, Talk
from tasks.models import Task
from tests.county import make_user

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent():
    county = OrgUnit.add_root(name="示范县", code="C", kind="county")
    town = county.add_child(name="河口镇", code="T02", kind="town")
    town.refresh_from_db()
    town.add_child(name="河口村", code="T02-V01", kind="village")
    county.refresh_from_db()
    county.add_child(name="城关镇", code="T01", kind="town")
    staff = make_user("jw_staff")
    Membership.objects.create(user=staff, org=county, role="commission_staff", start_date="2020-01-01")
    out = io.StringIO()
    assert demo.seed(out) == 4
    counts = [m.objects.count() for m in (Finding, Measure, Document, Talk, EscalationDocument, Task)]
    assert counts[:4] == [3, 4, 1, 2] and counts[4] >= 4
    assert demo.seed(out) == 0
    assert [m.objects.count() for m in (Finding, Measure, Document, Talk, EscalationDocument, Task)] == counts
    assert "inspections:" in out.getvalue()


def test_seed_without_demo_county_does_nothing():
    assert demo.seed(io.StringIO()) == 0
