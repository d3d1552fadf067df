"""The dashboard drills down county → town → village → the task list: each level shows the
org's own tasks (本级) as a row and each child's subtree as a row linked to the child's own
dashboard; every number on every page reached equals the list it links to, and the rows of a
level add up to its total. The progress page and the list count "All in the period" alike."""

import re
from html import unescape

import pytest
from django.urls import reverse

from .conftest import AS_OF, populate

pytestmark = pytest.mark.django_db

PERIOD = f"year=2026&quarter=3&as_of={AS_OF.isoformat()}"


def rows_of(html):
    """{org code: (own?, drill href or None, {figure key: (count, list href)})} of the org table."""
    out = {}
    for tr in re.findall(r'<tr class="org-row[^"]*".*?</tr>', html, re.S):
        code = re.search(r'data-org="([^"]+)"', tr).group(1)
        drill = re.search(r'<a href="([^"]+)" class="drill">', tr)
        figs = {}
        for href, n in re.findall(r'class="figure-link" href="([^"]+)">(\d+)</a>', tr):
            key = re.search(r"[?&](?:figure|colour)=(\w+)", unescape(href)).group(1)
            figs[key] = (int(n), unescape(href))
        out[code] = ("data-own" in tr, drill and unescape(drill.group(1)), figs)
    return out


def list_count(client, href):
    m = re.search(r'id="result-count" data-count="(\d+)"', client.get(href).content.decode())
    return int(m.group(1))


def walk(client, url, seen, depth=0):
    """Follow every link of one dashboard page — each figure to the list (same count), each
    child's name to its dashboard (whose total equals the child's row) — down the tree."""
    html = client.get(url).content.decode()
    rows = rows_of(html)
    assert sum(1 for own, _d, _f in rows.values() if own) == 1, "exactly one own row (本级)"
    for code, (own, drill, figs) in rows.items():
        for key, (n, href) in figs.items():
            assert list_count(client, href) == n, (url, code, key, href)
        if own:
            assert drill is None and all("own=1" in h for _n, h in figs.values())
            continue
        assert drill, f"{code}: a child's name links to its dashboard"
        child = client.get(reverse("reports:dashboard") + drill).content.decode()
        total = re.search(r'id="fig-due"><a class="figure-link" [^>]*>(\d+)</a>', child).group(1)
        assert int(total) == figs["due"][0], (code, "the child's page total equals its row")
        seen.append(code)
        walk(client, reverse("reports:dashboard") + drill, seen, depth + 1)
    return rows


def test_every_link_of_every_level_equals_what_it_leads_to(populated, client):
    client.force_login(populated.staff)
    seen = []
    rows = walk(client, reverse("reports:dashboard") + "?" + PERIOD, seen)
    assert {"T1", "T2", "T1-V1", "T1-V2", "T2-V1", "C-JW", "C-XWB"} <= set(seen), seen
    assert rows["C"][0] and rows["T1"][2]["due"][0] == 6  # 东村 ×3 + 西村 ×2 + 城关镇's own ×1, due by 09-20


def test_rows_add_up_to_the_total_and_own_tasks_have_a_row(populated, client):
    client.force_login(populated.staff)
    html = client.get(reverse("reports:dashboard") + "?org=T1&" + PERIOD).content.decode()
    rows = rows_of(html)
    # 城关镇 in Q3 by 09-20: its own 07-31 task (the 08-31 one is cancelled), 东村 ×3, 西村 ×2
    assert rows["T1"][0] and rows["T1"][2]["due"][0] == 1
    assert rows["T1-V1"][2]["due"][0] == 3 and rows["T1-V2"][2]["due"][0] == 2
    total = int(re.search(r'id="fig-due"><a class="figure-link" [^>]*>(\d+)</a>', html).group(1))
    assert total == sum(f["due"][0] for _o, _d, f in rows.values()) == 6
    assert "（本级）" in html and 'id="breadcrumbs"' in html and "示范县" in html


def test_a_village_sees_its_own_row(populated, client):
    client.force_login(populated.v11_disc)
    html = client.get(reverse("reports:dashboard") + "?" + PERIOD).content.decode()
    rows = rows_of(html)
    assert list(rows) == ["T1-V1"] and rows["T1-V1"][0] and rows["T1-V1"][2]["due"][0] == 3
    assert list_count(client, rows["T1-V1"][2]["due"][1]) == 3


def test_dashboard_progress_and_list_count_the_period_alike(populated, client):
    """Same scope and year → the same number: the dashboard's All in the period, the progress
    page's total and the list behind both; Due (due by the as-of date) is said to be less."""
    from datetime import date

    from .conftest import make_task

    make_task(populated.v12, due=date(2026, 12, 10))  # due later this year (today is 11-18)
    client.force_login(populated.staff)
    dash = client.get(reverse("reports:dashboard"), {"org": "T1", "year": 2026}).content.decode()
    whole = int(re.search(r'id="fig-in_period"><a class="figure-link" [^>]*>(\d+)</a>', dash).group(1))
    due = int(re.search(r'id="fig-due"><a class="figure-link" [^>]*>(\d+)</a>', dash).group(1))
    # 城关镇's subtree in 2026, cancelled left out: 东村 ×4, 西村 ×4 + the December one, its own ×1
    assert (whole, due) == (10, 9)
    prog = client.get(reverse("tasks:progress"), {"org": "T1", "year": 2026}).content.decode()
    row = re.search(r'<tr data-org="T1">.*?</tr>', prog, re.S).group(0)
    total_href, total = re.findall(r'<td class="text-end"><a href="([^"]+)">(\d+)</a>', row)[0]
    assert int(total) == list_count(client, unescape(total_href))
    org_rows = re.findall(r'<tr data-org="([^"]+)">.*?<td class="text-end"><a href="([^"]+)">(\d+)</a>', prog, re.S)
    assert sum(int(n) for _c, _h, n in org_rows) == whole
    for _code, href, n in org_rows:
        assert list_count(client, unescape(href)) == int(n)
    assert 'id="what-counts"' in dash and 'id="what-counts"' in prog


def test_list_says_what_it_counts(populated, client):
    client.force_login(populated.staff)
    html = client.get(reverse("tasks:list"), {"org": "T1", "own": "1", "figure": "due", "due_from": "2026-07-01",
                                              "due_to": "2026-09-30", "as_of": AS_OF.isoformat()}).content.decode()
    what = re.search(r'id="list-what">(.*?)</p>', html, re.S).group(1)
    assert "城关镇" in what and "仅本级" in what and "应完成" in what and "2026-09-20" in what
    assert 'data-count="1"' in html


@pytest.mark.parametrize("org", ["T1", "T1-V1"])
def test_lower_levels_keep_the_query_budget(populated, client, org, django_assert_max_num_queries):
    client.force_login(populated.staff)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("reports:dashboard") + f"?org={org}&" + PERIOD).status_code == 200
