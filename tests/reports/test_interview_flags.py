"""The dashboard shows the orgs flagged for 约谈 (assessment.scoring.interview_flags: bottom two of
their level two years running): a badge in the org table and a short list, both linked to the
assessment page; the dashboard itself stays within its query budget (the flags load apart)."""

import itertools
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from assessment.scoring import interview_flags
from responsibilities.models import Checklist, ChecklistItem
from tasks.models import Task

pytestmark = pytest.mark.django_db

END = date(2026, 12, 31)
_seq = itertools.count(1)


# -- copied from tests/assessment/conftest.py (that file belongs to assessment) --------------
def make_list(year):
    for level, bearer in itertools.product(("town", "village", "department"), ("committee", "secretary", "member", "discipline")):
        if not Checklist.objects.filter(year=year, level=level, bearer=bearer).exists():
            return Checklist.objects.create(year=year, level=level, bearer=bearer, title=f"{year}年清单", status="published")
    raise AssertionError("no free level × bearer")


def make_item(cl, points):
    n = next(_seq)
    return ChecklistItem.objects.create(checklist=cl, seq=n, title=f"事项{n}", category="collective", frequency="Y",
                                        points=Decimal(points))


def task_for(item, org, due):
    return Task.objects.create(
        org=org, kind="duty", source_type=ContentType.objects.get_for_model(ChecklistItem), source_id=item.pk,
        period_start=date(due.year, due.month, 1), period_end=due, period_label=f"{due:%Y-%m}", due_date=due,
        original_due_date=due, title=item.title, points=item.points, category=item.category,
        review_org=org.get_parent() or org,
    )


def adjust(org, year, points, user):
    from assessment.models import Adjustment

    Adjustment.objects.create(org=org, year=year, kind="deduction", category="other", points=Decimal(points),
                              reason="测试", created_by=user)
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def flagged(county):
    """Three towns; 河口镇 (T2) is in the bottom two in 2025 and 2026, 城关镇 (T1) only in 2025,
    三镇 (T3) only in 2026 (as in tests/assessment/test_scoring.py)."""
    c = county
    town3 = c.county.add_child(name="三镇", code="T3", kind="town", subkind="镇")
    staff = c.users["staff"]

    def year(y, scores):
        item = make_item(make_list(y), 10)
        for org, pct in scores.items():
            t = task_for(item, org, date(y, 6, 30))
            if pct:
                if pct < 100:
                    adjust(org, y, 100 - pct, staff)
                t.status, t.completed_on, t.approved_on = "approved", date(y, 6, 1), date(y, 6, 2)
                t.save()

    year(2025, {town3: 100, c.town1: 95, c.town2: 0})
    year(2026, {c.town1: 100, town3: 95, c.town2: 0})
    c.town3 = town3
    return c


def url(**params):
    q = {"year": 2026, "as_of": END.isoformat(), **params}
    return reverse("reports:dashboard") + "?" + "&".join(f"{k}={v}" for k, v in q.items())


def test_flagged_town_has_a_badge_and_is_listed_the_others_not(flagged, client):
    c = flagged
    assert interview_flags(2026, as_of=END) & {c.town1.pk, c.town2.pk, c.town3.pk} == {c.town2.pk}  # the premise
    client.force_login(c.staff)
    page = client.get(url()).content.decode()
    # the page asks for the flags once shown, and has a place for a badge in every org row
    assert re.search(r'id="interview-flags" hx-get="\?part=flags&org=C&year=2026&as_of=2026-12-31" hx-trigger="load"', page)
    for code in ("T1", "T2", "T3"):
        assert f'<span id="flag-{code}"></span>' in page
    part = client.get(url(part="flags", org="C"))
    assert part.status_code == 200
    html = part.content.decode()
    badges = re.findall(r'<a id="flag-([^"]+)" hx-swap-oob="true"[^>]*href="([^"]+)"', html)
    assert [b[0] for b in badges] == ["T2"]
    assert badges[0][1] == reverse("assessment:index") + "?year=2026#level-town"
    listed = re.findall(r'class="interview-flag link-danger" data-org="([^"]+)" href="([^"]+)"', html)
    assert [code for code, _h in listed] == ["T2"]
    assert listed[0][1].startswith(reverse("assessment:index") + "?year=2026")
    assert 'data-count="1"' in html
    assert "城关镇" not in html and "三镇" not in html and "河口镇" in html


def test_nothing_flagged_shows_nothing(county, client):
    client.force_login(county.staff)
    html = client.get(url(part="flags")).content.decode()
    assert 'data-count="0"' in html and "hx-swap-oob" not in html and "interview-flag " not in html and "interview-badge" not in html


def test_flags_are_scoped(flagged, client):
    """A town secretary of 城关镇 sees no badge and no list entry for 河口镇 (outside their scope)."""
    c = flagged
    client.force_login(c.users["t1_party"])
    html = client.get(url(part="flags")).content.decode()
    assert 'data-count="0"' in html and "河口镇" not in html and "flag-T2" not in html and "hx-swap-oob" not in html
    assert client.get(url(part="flags", org="T2")).status_code == 404


def test_dashboard_and_flags_within_the_query_budget(flagged, client, django_assert_max_num_queries):
    client.force_login(flagged.staff)
    with django_assert_max_num_queries(15):
        assert client.get(url(quarter=2)).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_purge")
def test_badge_and_list_appear_in_the_browser(flagged, page, live_server, client):
    """htmx fetches the flags after the page is shown: the badge lands in 河口镇's row only,
    the list links to the assessment page. Screenshots: var/screenshots/reports_flags_{1366,375}.png."""
    from tests.browser import login, no_horizontal_scroll, shot

    login(page, live_server, client, flagged.staff)
    for width, height in ((1366, 768), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server.url + url(quarter=2))
        page.wait_for_selector("#org-table .interview-badge")
        assert page.locator("#org-table .interview-badge").count() == 1
        assert page.locator('tr[data-org="T2"] .interview-badge').is_visible()
        assert page.locator('tr[data-org="T1"] .interview-badge').count() == 0
        assert page.locator("#interview-flags .interview-flag").all_inner_texts() == ["河口镇"]
        assert no_horizontal_scroll(page)
        shot(page, f"reports_flags_{width}", full_page=True)
    page.click("#interview-flags .interview-flag")
    page.wait_for_url("**/assessment/**")
