"""Which year and quarter the pages call "current" at the turn of the year, and the
assessment year's cut-off at Beijing midnight."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import RiskPoint
from assessment.scoring import org_scores
from assessment.tasks import risk_reviews
from tasks.models import Task
from tests.assessment.conftest import adjust, make_item, make_list, task_for
from tests.clock import travel

from .conftest import NY_0030, NYE_2330

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("moment, year, quarter", [(NYE_2330, 2026, 4), (NY_0030, 2027, 1)])
def test_dashboard_and_quarterly_report_default_to_the_beijing_year_and_quarter(county, login, moment, year, quarter):
    with travel(moment):
        client = login(county.staff)
        page = client.get(reverse("reports:dashboard"))
        download = client.get(reverse("reports:quarterly"))
    w = page.context["w"]
    assert (page.context["year"], page.context["export_quarter"]) == (year, quarter)
    assert (w.start, w.end, w.as_of) == (date(year, 1, 1), date(year, 12, 31), moment.date())
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="quarterly-C-{year}Q{quarter}.xlsx"'


@pytest.mark.parametrize("moment, year", [(NYE_2330, 2026), (NY_0030, 2027)])
def test_assessment_page_defaults_to_the_beijing_year(county, login, moment, year):
    with travel(moment):
        page = login(county.staff).get(reverse("assessment:index"))
    assert page.context["year"] == year and page.context["years"][0] == year


def test_risk_review_of_the_new_year_is_created_on_its_first_night(county):
    RiskPoint.objects.create(org=county.town1, post="财务", description="资金", level="high", controls="双签", owner="张三",
                             created_by=county.staff)
    with travel(NYE_2330):
        assert risk_reviews() == {"year": 2026, "created": 1}
    with travel(NY_0030):
        assert risk_reviews() == {"year": 2027, "created": 1}
        assert risk_reviews() == {"year": 2027, "created": 0}
    assert sorted(Task.objects.filter(kind="risk_review").values_list("period_label", "due_date")) == [
        ("2026年度", date(2026, 12, 20)), ("2027年度", date(2027, 12, 20))]


def test_adjustments_count_by_the_beijing_date_they_were_entered(county):
    """The year's score as of 31 December takes an adjustment entered at 23:30 that night, not
    one entered at 00:30 on 1 January (UTC: both on 31 December); as of 1 January it takes both."""
    item = make_item(make_list(2026), 4)
    task_for(item, county.town1, date(2026, 12, 31), status="approved", completed=date(2026, 12, 31), approved=date(2026, 12, 31))
    with travel(NYE_2330):
        adjust(county.town1, 2026, "discipline_case", 3, county.staff)
    with travel(NY_0030):
        adjust(county.town1, 2026, "discipline_case", 5, county.staff)
        today = org_scores(2026, [county.town1])[county.town1.pk]
    eve = org_scores(2026, [county.town1], as_of=date(2026, 12, 31))[county.town1.pk]
    assert (eve.due, eve.on_time, eve.base, eve.deduction, eve.score) == (1, 1, Decimal("100.00"), Decimal("3"), Decimal("97.00"))
    assert (today.deduction, today.score) == (Decimal("8"), Decimal("92.00"))
