"""Home is "what do I do today": the person's counts, each a link to the list showing exactly
those tasks, the same numbers as the API's me/; a village officer's menu is short."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.navigation import GRASSROOTS_MAX
from tasks import services
from tasks.today import SHOWS

from .conftest import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(county):
    """v11's tasks: 1 due this week, 2 overdue, 1 returned, 1 awaiting review, 1 due later."""
    today = timezone.localdate()
    make_task(county.v11, due=today + timedelta(days=6 - today.weekday()))
    make_task(county.v11, due=today - timedelta(days=3))
    make_task(county.v11, due=today - timedelta(days=40))
    make_task(county.v11, due=today + timedelta(days=60))
    returned = make_task(county.v11, due=today + timedelta(days=30))
    services.submit(returned, county.v11_disc, note="做了", version=returned.version)
    services.return_task(returned, county.t1_disc, "补材料")
    waiting = make_task(county.v11, due=today + timedelta(days=40))
    services.submit(waiting, county.v11_disc, note="做了", version=waiting.version)
    return county


def figures(client):
    r = client.get(reverse("home"))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="home-today"' in html
    keys = [key for key in (*SHOWS, "awaiting_my_review") if f'id="today-{key}"' in html]
    return {key: int(html.split(f'id="today-{key}" data-count="')[1].split('"')[0]) for key in keys}


def test_counts_link_to_exactly_those_tasks_and_match_the_api(day, login):
    client = login(day.v11_disc)
    counts = figures(client)
    assert counts == {"due_this_week": 1, "overdue": 2, "returned": 1}  # a village reviews nobody below it
    assert client.get("/api/v1/me/").json()["counts"] == {**counts, "awaiting_my_review": 0}
    for key in SHOWS:
        r = client.get(reverse("tasks:mine"), {"show": key})
        assert r.status_code == 200
        assert r.content.decode().count('class="list-group-item list-group-item-action qd-colour-bar') == counts[key], key
        assert f'href="{reverse("tasks:mine")}?show={key}"' in client.get(reverse("home")).content.decode()


def test_reviewer_count_is_the_review_queue(day, login):
    client = login(day.t1_disc)
    counts = figures(client)
    assert counts["awaiting_my_review"] == 1
    assert client.get("/api/v1/me/").json()["counts"]["awaiting_my_review"] == 1
    queue = client.get(reverse("tasks:review_queue"))
    assert queue.context["total"] == 1


def test_staff_see_their_review_count_only(day, login):
    html = login(day.staff).get(reverse("home")).content.decode()
    assert 'id="today-awaiting_my_review"' in html and 'id="today-overdue"' not in html


def test_unknown_show_lists_everything(day, login):
    client = login(day.v11_disc)
    everything = client.get(reverse("tasks:mine")).context["count"]
    for junk in ("x", "'; drop", "9" * 400, ""):
        r = client.get(reverse("tasks:mine"), {"show": junk})
        assert r.status_code == 200 and r.context["count"] == everything


def test_home_in_few_queries(day, login, django_assert_max_num_queries):
    client = login(day.t1_disc)
    client.get(reverse("home"))
    with django_assert_max_num_queries(15):
        client.get(reverse("home"))


def menu(login, user):
    return [item["url"] for item in login(user).get(reverse("home")).context["nav_menu"]]


def test_village_officer_menu_is_short(county, login):
    for name in ("v11_disc", "v11_party", "v11_clerk"):
        items = menu(login, county.users[name])
        assert len(items) <= GRASSROOTS_MAX, (name, items)
        assert reverse("tasks:mine") in items and reverse("notifications:inbox") in items
        assert reverse("reports:dashboard") not in items


def test_town_and_county_keep_the_full_menu(county, login):
    town = menu(login, county.t1_disc)
    staff = menu(login, county.staff)
    assert len(town) > GRASSROOTS_MAX and reverse("reports:dashboard") in town
    assert len(staff) > len(town) - 2 and reverse("inspections:index") in staff
