"""A small province (generate_province: counties under one root, a year of tasks loaded by
COPY): the pages at its root, a county and a town keep the query budget, the dashboard equals
a raw count of the tasks, and the task list does not count a province's rows."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrgUnit, User
from tasks import listing, tally
from tasks.models import Task

pytestmark = pytest.mark.django_db

LEVELS = {"root": ("P", "p_staff1"), "county": ("P02", "p02_staff1"), "town": ("P02-T01", "p02t01_disc")}


@pytest.fixture
def province(db):
    call_command("generate_province", counties=2, towns=2, villages_per_town=2, departments=1, staff=1, years=1,
                 stdout=open("/dev/null", "w"))
    return OrgUnit.objects.get(code="P")


def test_generated_province(province):
    assert OrgUnit.objects.filter(kind="province").get() == province  # the root, above two counties
    assert OrgUnit.objects.filter(kind="county").count() == 2
    assert OrgUnit.objects.filter(kind="village").count() == 8
    assert OrgUnit.find_problems() == ([], [], [], [], [])
    statuses = set(Task.objects.values_list("status", flat=True))
    assert {"pending", "submitted", "approved"} <= statuses
    assert not Task.objects.filter(completed_on__gt=timezone.localdate()).exists()  # what the counts rely on
    assert not Task.objects.filter(approved_on__gt=timezone.localdate()).exists()
    assert tally.verify() == {"TaskTally": 0, "ItemTally": 0}


@pytest.mark.parametrize("level", LEVELS)
def test_pages_keep_the_query_budget(province, client, level, django_assert_max_num_queries):
    code, username = LEVELS[level]
    client.force_login(User.objects.get(username=username))
    for url in (f"{reverse('reports:dashboard')}?org={code}", f"{reverse('tasks:progress')}?org={code}",
                reverse("tasks:mine"), reverse("tasks:review_queue"), reverse("tasks:list"),
                f"{reverse('tasks:list')}?org={code}"):
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200, url


def test_dashboard_equals_a_raw_count(province, client):
    client.force_login(User.objects.get(username="p_staff1"))
    page = client.get(reverse("reports:dashboard") + "?org=P").context
    api = client.get("/api/v1/dashboard/", {"org": "P"}).json()  # the rows' colours, which the page does not show
    today = timezone.localdate()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT substr(o.path, 1, 8), count(*) FILTER (WHERE t.due_date <= %(a)s), "
            "count(*) FILTER (WHERE t.due_date < %(a)s AND NOT (t.status IN ('submitted', 'approved') AND t.completed_on <= %(a)s)), "
            "count(*) FILTER (WHERE t.due_date BETWEEN %(a)s AND %(a5)s AND NOT (t.status IN ('submitted', 'approved') "
            "AND t.completed_on <= %(a)s)), count(*) FILTER (WHERE t.status = 'submitted') "
            "FROM tasks_task t JOIN accounts_orgunit o ON o.id = t.org_id WHERE t.status <> 'cancelled' "
            "AND t.due_date BETWEEN %(s)s AND %(e)s AND o.depth > 1 GROUP BY 1",
            {"a": today, "a5": today + timedelta(days=5), "s": today.replace(month=1, day=1), "e": today.replace(month=12, day=31)})
        raw = {p: tuple(v) for p, *v in cur.fetchall()}
    rows = {r.org.path: r.counts for r in page["rows"]}
    assert len(rows) == 2 and all(sum(raw[path]) for path in rows)
    for path, c in rows.items():
        assert (c["due"], c["awaiting_review"]) == (raw[path][0], raw[path][3]), path
    paths = {r.org.code: r.org.path for r in page["rows"]}
    for r in api["rows"]:
        c = r["counts"]
        assert (c["due"], c["colour_red"], c["colour_yellow"], c["awaiting_review"]) == raw[paths[r["org"]["code"]]]
    assert page["total"].counts == api["total"]["counts"]  # the page counts the colours for the whole table at once


def test_the_list_counts_up_to_a_limit(province, client, monkeypatch):
    client.force_login(User.objects.get(username="p_staff1"))
    monkeypatch.setattr(listing, "COUNT_LIMIT", 100)
    response = client.get(reverse("tasks:list"))
    assert response.context["total"] == 100 and response.context["more"]
    assert 'data-count="100">100+</span>' in response.content.decode()
    response = client.get(reverse("tasks:list") + "?org=P02-T01-V01&own=1")
    assert not response.context["more"]
    assert response.context["total"] == Task.objects.filter(org__code="P02-T01-V01").count()


def test_the_apis_task_list_counts_as_the_page_does(province, client, monkeypatch):
    """The API's task list takes its rows and its capped count where the page does
    (tasks.listing.counted_rows): at the province's root no task is counted."""
    from django.test.utils import CaptureQueriesContext

    client.force_login(User.objects.get(username="p_staff1"))
    monkeypatch.setattr(listing, "COUNT_LIMIT", 100)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/v1/tasks/").json()
    assert body["count"] == 100 and len(body["results"]) == 50 and body["next"]
    assert not _counts_tasks(ctx.captured_queries)
    body = client.get("/api/v1/tasks/", {"org": "P02-T01-V01", "own": "1"}).json()
    assert body["count"] == Task.objects.filter(org__code="P02-T01-V01").count()


def _counts_tasks(queries) -> bool:
    return any(q["sql"].startswith('SELECT COUNT(*) FROM (SELECT "tasks_task"') for q in queries)


@pytest.mark.parametrize(("username", "query"), [("p_staff1", ""), ("p02_staff1", ""), ("p02_staff1", "?org=P02-T01"),
                                                 ("p02_staff1", "?org=P")])
def test_a_large_list_takes_its_capped_count_from_the_kept_counts(province, client, monkeypatch, username, query):
    """Filtered by nothing but a unit, a list whose reach holds more than the limit below its top
    units is known to be "limit+" from the counts: no task is counted. The answer is the one a
    count gives (the limit, and more)."""
    from django.test.utils import CaptureQueriesContext

    user = User.objects.get(username=username)
    client.force_login(user)
    url = reverse("tasks:list") + query
    client.get(url)
    monkeypatch.setattr(listing, "COUNT_LIMIT", 20)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert not _counts_tasks(ctx.captured_queries)
    assert (response.context["total"], response.context["more"]) == (20, True)
    shown = Task.objects.restrict(user, "view")
    if query:
        shown = shown.filter(org__path__startswith=OrgUnit.objects.get(code=query.split("=")[1]).path)
    assert shown.count() > 20


def test_a_filtered_or_small_list_is_counted(province, client, monkeypatch):
    """Any other filter, or a reach with fewer tasks below than the limit: the tasks are counted,
    and the rows come in (due date, id) order whichever way the page was read."""
    from django.test.utils import CaptureQueriesContext

    client.force_login(User.objects.get(username="p02_staff1"))
    monkeypatch.setattr(listing, "COUNT_LIMIT", 20)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("tasks:list") + "?status=approved")
    assert _counts_tasks(ctx.captured_queries) and response.context["more"]
    client.force_login(User.objects.get(username="p02t01_disc"))
    monkeypatch.setattr(listing, "COUNT_LIMIT", 10_000)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("tasks:list"))
    assert _counts_tasks(ctx.captured_queries) and not response.context["more"]
    user = User.objects.get(username="p02t01_disc")
    expected = list(Task.objects.restrict(user, "view").order_by("due_date", "id").values_list("id", flat=True)[:50])
    assert [t.id for t in response.context["tasks"]] == expected
    assert response.context["total"] == Task.objects.restrict(user, "view").count()
