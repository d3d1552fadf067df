"""My tasks and the review queue: a bounded number of queries, whatever the number of tasks."""

import pytest
from django.urls import reverse

from tasks import services

from .conftest import make_task

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10  # session + user + the grants (menu and scope, once) + the page's own few


def _fill(county, n):
    for i in range(n):
        t = make_task(county.v11, title=f"事项{i}")
        if i % 2:
            services.submit(t, county.v11_disc, note="完成", version=t.version)
        if i % 4 == 1:
            services.add_evidence(t, county.v11_disc, __import__("tests.tasks.conftest", fromlist=["pdf"]).pdf())


@pytest.mark.parametrize("n", [3, 40])
def test_mine_queries_bounded(county, client, django_assert_max_num_queries, n):
    _fill(county, n)
    client.force_login(county.v11_disc)
    with django_assert_max_num_queries(MAX_QUERIES):
        r = client.get(reverse("tasks:mine"))
    assert r.status_code == 200 and r.content.decode().count('class="list-group-item list-group-item-action') == n


@pytest.mark.parametrize("n", [3, 40])
def test_review_queue_queries_bounded(county, client, django_assert_max_num_queries, n):
    _fill(county, n)
    client.force_login(county.t1_disc)
    with django_assert_max_num_queries(MAX_QUERIES):
        r = client.get(reverse("tasks:review_queue"))
    assert r.status_code == 200 and r.content.decode().count("queue-row") == n // 2


@pytest.mark.parametrize("n", [3, 40])
def test_progress_queries_bounded(county, client, django_assert_max_num_queries, n):
    _fill(county, n)
    client.force_login(county.t1_party)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(reverse("tasks:progress")).status_code == 200


def test_same_count_for_both_sizes(county, client, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (2, 30):
        _fill(county, n)
        client.force_login(county.v11_disc)
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("tasks:mine"))
        counts.append(len(ctx))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("username", ["staff", "t1_disc", "v11_disc"])
def test_task_list_queries_bounded(county, client, django_assert_max_num_queries, username):
    _fill(county, 40)
    client.force_login(county.users[username])
    with django_assert_max_num_queries(MAX_QUERIES):
        r = client.get(reverse("tasks:list"))
    assert r.status_code == 200 and r.context["total"] == 40
