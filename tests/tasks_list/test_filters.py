"""tasks:list — every query parameter against counts worked out by hand from
tests/reports/conftest.populate (15 tasks across the small county, Q3 2026),
scope, bad input, pagination and a bounded query count."""

import re
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import OrgUnit
from tasks.models import Task
from tasks.warnings import Colour, colour_of
from tests.reports.conftest import make_task, populate

Q3 = {"due_from": "2026-07-01", "due_to": "2026-09-30", "as_of": "2026-09-20"}


def count(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("tasks:list"), params)
    assert response.status_code == 200
    return int(re.search(r'id="result-count" data-count="(\d+)"', response.content.decode()).group(1))


@pytest.fixture
def tasks(county):
    return populate(county)


@pytest.mark.parametrize("params,expected", [
    ({}, 15),
    ({"org": "T1"}, 10),                 # 城关镇 with 东村 and 西村, cancelled included
    ({"org": "T1-V2"}, 4),
    ({"org": "NOPE"}, 0),
    ({"level": "village"}, 10),
    ({"level": "town"}, 3),
    ({"level": "department"}, 2),
    ({"due_from": "2026-07-01", "due_to": "2026-09-30"}, 13),
    ({"due_from": "2026-10-01"}, 1),
    ({"status": "pending"}, 5),
    ({"status": "approved"}, 6),
    ({"status": "returned"}, 1),
    ({"category": "collective"}, 6),
    ({"category": "one_post"}, 3),
    ({"kind": "duty"}, 15),
    ({"kind": "rectification"}, 0),
    ({"q": "记录1"}, 4),                 # notes 记录1, 记录11, 记录12, 记录13
    ({"q": "东村"}, 4),                   # org name
    ({"q": "事项2"}, 3),                  # title
    ({"org": "T1", "status": "pending", "category": "supervisory"}, 1),
    # figures, Q3 2026 as of 20 September
    ({**Q3, "figure": "overdue_open"}, 3),   # v11 09-05 pending, v12 09-12 returned, v21 08-20 pending
    ({**Q3, "figure": "returned"}, 1),
    ({**Q3, "figure": "awaiting_review"}, 2),
    ({**Q3, "org": "T2", "figure": "done_late"}, 1),  # 河口镇 submitted 09-18 for 09-15
])
def test_parameter_counts_by_hand(county, client, tasks, params, expected):
    assert count(client, county.users["staff"], **params) == expected


def test_frequency_and_assignee_me(county, client, tasks):
    Task.objects.filter(pk__in=[tasks[0].pk, tasks[3].pk]).update(frequency="Q")
    Task.objects.filter(pk=tasks[1].pk).update(frequency="M", assignee=county.users["v11_clerk"])
    staff = county.users["staff"]
    assert count(client, staff, frequency="Q") == 2
    assert count(client, staff, frequency="M") == 1
    assert count(client, staff, assignee="me") == 0
    assert count(client, county.users["v11_clerk"], assignee="me") == 1


def test_source_by_label_and_by_content_type_id(county, client, tasks):
    ct = ContentType.objects.get_for_model(OrgUnit)
    staff = county.users["staff"]
    assert count(client, staff, source_type="accounts.orgunit", source_id=500002) == 3
    assert count(client, staff, source_type=str(ct.pk), source_id=500002) == 3
    assert count(client, staff, source_type="nope.model", source_id=500002) == 0


@pytest.mark.parametrize("colour", [Colour.RED, Colour.YELLOW, Colour.BLUE, Colour.GREEN, Colour.LATE])
def test_colour_list_matches_the_one_rule_task_by_task(county, client, tasks, colour):
    on = date(2026, 9, 20)
    expected = sum(1 for t in Task.objects.all() if colour_of(t, on) == colour)
    assert count(client, county.users["staff"], colour=colour, as_of=on.isoformat()) == expected


@pytest.mark.parametrize("username,expected", [
    ("staff", 15), ("t1_party", 10), ("t1_disc", 10), ("t2_disc", 3), ("v11_disc", 4), ("nobody", 0),
])
def test_scope(county, client, tasks, username, expected):
    assert count(client, county.users[username]) == expected
    # another town's org asked for explicitly gives nothing outside the scope
    if username in ("t2_disc", "v11_disc"):
        assert count(client, county.users[username], org="T1-V2") == 0


def test_every_listed_row_is_in_scope(county, client, tasks):
    client.force_login(county.users["t2_disc"])
    html = client.get(reverse("tasks:list")).content.decode()
    for t in Task.objects.exclude(org__path__startswith=county.town2.path):
        assert f"/tasks/{t.pk}/" not in html
    for t in Task.objects.filter(org__path__startswith=county.town2.path):
        assert f"/tasks/{t.pk}/" in html


@pytest.mark.parametrize("params", [
    {"due_from": "not-a-date"}, {"figure": "bogus"}, {"colour": "purple"}, {"status": "gone"},
    {"level": "planet"}, {"source_type": "accounts.orgunit", "source_id": "x"},
])
def test_bad_input_lists_nothing_and_says_so(county, client, tasks, params):
    client.force_login(county.users["staff"])
    response = client.get(reverse("tasks:list"), params)
    assert response.status_code == 200
    assert 'data-count="0"' in response.content.decode()
    html = response.content.decode()
    assert "filter-error" in html and "<details class=\"mb-3\" open>" in html  # the reason is shown, the filter form open


def test_pagination_keeps_filters_and_total(county, client):
    for i in range(120):
        make_task(county.v11, due=date(2026, 8, 1 + i % 28), title=f"批量{i}")
    client.force_login(county.users["staff"])
    r1 = client.get(reverse("tasks:list"), {"org": "T1-V1"}).content.decode()
    r3 = client.get(reverse("tasks:list"), {"org": "T1-V1", "page": 3}).content.decode()
    assert 'data-count="120"' in r1 and 'data-count="120"' in r3
    ids = lambda html: set(re.findall(r'/tasks/(\d+)/"', html))  # noqa: E731
    assert len(ids(r1)) == 50 and len(ids(r3)) == 20 and not ids(r1) & ids(r3)
    assert "org=T1-V1" in r1 and "page=2" in r1


def test_query_count_does_not_grow_with_tasks(county, client, django_assert_max_num_queries):
    populate(county)
    client.force_login(county.users["t1_party"])
    url = reverse("tasks:list")
    client.get(url, {**Q3, "figure": "due"})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url, {**Q3, "figure": "due"})
    for i in range(80):
        make_task(county.v12, due=date(2026, 9, 1 + i % 20), title=f"多{i}")
    with django_assert_max_num_queries(len(small)):
        client.get(url, {**Q3, "figure": "due"})


@pytest.mark.django_db
def test_unfiltered_list_shows_the_open_filter_form_every_time(county, login):
    """The empty filter form is rendered once per language and reused: same fields, open, each time."""
    client = login(county.staff)
    pages = [client.get(reverse("tasks:list")).content.decode() for _ in range(2)]
    for html in pages:
        assert '<details class="mb-3" open>' in html
        assert 'name="colour"' in html and 'name="due_from"' in html and "filter-error" not in html
    form = lambda html: html[html.index("<form method=\"get\""):html.index("</form>")]  # noqa: E731
    assert form(pages[0]) == form(pages[1])
    filtered = client.get(reverse("tasks:list"), {"status": "pending"}).content.decode()
    assert '<details class="mb-3">' in filtered and 'value="pending" selected' in filtered
