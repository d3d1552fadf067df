"""tasks:list — filters by hand, bad input, pagination and a bounded query count."""

import re
from datetime import date

import pytest
from django.urls import reverse

from .conftest import make_task, populate

pytestmark = pytest.mark.django_db


def count(client, **params):
    html = client.get(reverse("tasks:list"), params).content.decode()
    return int(re.search(r'id="result-count" data-count="(\d+)"', html).group(1))


def test_filters(county, client):
    populate(county)
    client.force_login(county.staff)
    assert count(client) == 15
    assert count(client, org="T1") == 10  # 东村 4, 西村 4, 城关镇 2
    assert count(client, level="village") == 10
    assert count(client, status="approved") == 6
    assert count(client, category="first") == 3  # plan rows 1, 6, 11 (i % 5 == 1)
    assert count(client, colour="red", as_of="2026-09-20") == 3
    assert count(client, q="事项4") == 3
    assert count(client, due_from="2026-09-01", due_to="2026-09-30") == 7
    assert count(client, assignee="me") == 0
    assert count(client, source_type="accounts.orgunit", source_id=500000) == 3


def test_bad_input_shows_nothing_and_says_why(county, client):
    populate(county)
    client.force_login(county.staff)
    response = client.get(reverse("tasks:list"), {"figure": "bogus", "due_from": "yesterday"})
    assert response.status_code == 200
    assert 'data-count="0"' in response.content.decode() and "text-danger" in response.content.decode()
    assert count(client, org="NOPE") == 0


def test_list_queries_bounded_and_paginated(county, client, django_assert_max_num_queries):
    for i in range(120):
        make_task(county.v11 if i % 2 else county.v21, due=date(2026, 8, 1 + i % 28), title=f"批量{i}")
    client.force_login(county.staff)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("tasks:list"), {"page": 2}).content.decode()
    assert 'data-count="120"' in html and html.count('class="list-group-item list-group-item-action task-row') == 50
    assert "2 / 3" in html


def test_rows_escape_what_people_typed_and_show_colour_status_and_dates(county, client):
    t = make_task(county.v11, due=date(2026, 8, 3), title="<script>alert(1)</script>事项", status="submitted",
                  completed_on=date(2026, 8, 5))
    county.v11.name = "东村 <b>&</b>"
    county.v11.save()
    client.force_login(county.staff)
    html = client.get(reverse("tasks:list"), {"as_of": "2026-09-20"}).content.decode()
    row = re.search(rf'<a href="/tasks/{t.pk}/"[^>]*>.*?</a>', html, re.S).group(0)
    assert "<script>" not in html.split("<main", 1)[1].split("<script src", 1)[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;事项" in row and "东村 &lt;b&gt;&amp;&lt;/b&gt;" in row
    assert 'data-colour="late"' in row and "qd-colour-late" in row and f'data-task="{t.pk}"' in row
    assert "待审核" in row and "截止 2026年8月3日" in row and "完成于 2026年8月5日" in row


def test_a_town_user_lists_only_their_town(county, client):
    mine, theirs = make_task(county.v11, due=date(2026, 8, 3)), make_task(county.v21, due=date(2026, 8, 3))
    client.force_login(county.t1_disc)
    html = client.get(reverse("tasks:list")).content.decode()
    assert f'data-task="{mine.pk}"' in html and f'data-task="{theirs.pk}"' not in html
    assert 'data-count="1"' in html
