"""The dashboard: every figure is a link to tasks:list and the list's count equals the number."""

import re
from html import unescape

import pytest
from django.urls import reverse

from .conftest import AS_OF, populate

pytestmark = pytest.mark.django_db

Q3 = {"year": 2026, "quarter": 3, "as_of": AS_OF.isoformat()}


def figure_links(html):
    return [(unescape(h), int(n)) for h, n in re.findall(r'class="figure-link" href="([^"]+)">(\d+)</a>', html)]


def walk(client, url):
    html = client.get(url).content.decode()
    links = figure_links(html)
    assert links, "the dashboard shows figures"
    for href, shown in links:
        page = client.get(href).content.decode()
        m = re.search(r'id="result-count" data-count="(\d+)"', page)
        assert m and int(m.group(1)) == shown, (href, shown, m and m.group(1))
    return html, links


@pytest.mark.parametrize("params", [Q3, {"year": 2026, "as_of": AS_OF.isoformat()}, {"year": 2026, "month": 9, "as_of": "2026-09-30"}])
def test_every_figure_equals_its_list(populated, client, params):
    client.force_login(populated.staff)
    html, links = walk(client, reverse("reports:dashboard") + "?" + "&".join(f"{k}={v}" for k, v in params.items()))
    assert sum(1 for _, n in links if n) > 10, "the walk covers non-zero figures"


def test_drill_into_a_town_walks_too(populated, client):
    client.force_login(populated.staff)
    html, links = walk(client, reverse("reports:dashboard") + "?org=T1&year=2026&quarter=3&as_of=2026-09-20")
    assert 'data-org="T1-V1"' in html and 'data-org="T2"' not in html


def test_headline_numbers_by_hand(populated, client):
    client.force_login(populated.staff)
    html = client.get(reverse("reports:dashboard"), Q3).content.decode()
    # Q3 2026 due by 09-20, not cancelled: v11 ×3, v12 ×2 (09-10, 09-12), town1 ×1, town2 ×1, v21 ×1 (08-20), office ×1 = 9
    assert re.search(r'id="fig-due"><a class="figure-link" [^>]*>9</a>', html)
    # done by 09-20: v11 07-08 (on time), v11 08-15 (late), v12 09-09, town1, town2 09-18 (late), office, v21(09-25 due, not in window) → 6
    assert re.search(r'id="fig-done"><a class="figure-link" [^>]*>6</a>', html)
    assert re.search(r'id="fig-on_time"><a class="figure-link" [^>]*>4</a>', html)
    assert 'id="rate-total">44.4%' in html


def test_org_with_nothing_due_shows_dash(populated, client):
    client.force_login(populated.staff)
    html = client.get(reverse("reports:dashboard"), Q3).content.decode()
    row = re.search(r'data-org="C-JW".*?</tr>', html, re.S).group(0)
    assert "—" in row and "100" not in row


def test_town_secretary_sees_only_their_subtree(populated, client):
    client.force_login(populated.t1_party)
    html = client.get(reverse("reports:dashboard"), Q3).content.decode()
    assert "城关镇" in html and 'data-org="T1-V1"' in html and 'data-org="T2-V1"' not in html and "河口镇" not in html
    assert client.get(reverse("reports:dashboard"), {"org": "T2"}).status_code == 404
    assert client.get(reverse("tasks:list"), {"org": "T2"}).content.decode().count('data-count="0"') == 1


def test_list_is_scoped(populated, client):
    client.force_login(populated.t2_disc)
    html = client.get(reverse("tasks:list")).content.decode()
    from tasks.models import Task

    expected = Task.objects.filter(org__path__startswith=populated.town2.path).count()
    assert f'data-count="{expected}"' in html and "东村" not in html


def test_dashboard_queries_bounded_whatever_the_county_size(county, client, django_assert_max_num_queries):
    populate(county)
    client.force_login(county.staff)
    url = reverse("reports:dashboard")
    with django_assert_max_num_queries(15):
        assert client.get(url, Q3).status_code == 200
    # a bigger county: ten more towns with villages and tasks
    from .conftest import make_task
    from datetime import date

    for i in range(10):
        county.county.refresh_from_db()
        t = county.county.add_child(name=f"镇{i}", code=f"TX{i}", kind="town")
        for j in range(3):
            t.refresh_from_db()
            v = t.add_child(name=f"村{i}{j}", code=f"TX{i}-V{j}", kind="village")
            for k in range(4):
                make_task(v, due=date(2026, 7 + k % 3, 10 + k))
    with django_assert_max_num_queries(15):
        assert client.get(url, Q3).status_code == 200
