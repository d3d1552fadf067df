"""One figure everywhere: the 得分 of an org read back from the quarterly
workbook's 汇总 sheet (the reports:quarterly download), the assessment page and the
考核结果 workbook (the reports:assessment_export download) equals assessment.scoring.org_scores
— for the hand-computed small county of conftest.scored (test_scoring.py).

The dashboard shows no score (only the 约谈 flags, from assessment.scoring.interview_flags),
so there is no fourth place to compare."""

import io
import re
from datetime import datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from assessment.scoring import org_scores

pytestmark = pytest.mark.django_db
YEAR_END = datetime(2026, 12, 31, 10, tzinfo=ZoneInfo("Asia/Shanghai"))   # as_of 2026-12-31 everywhere
CENT = D("0.01")


def _cell(v):
    return None if v is None else D(str(v)).quantize(CENT)


def _header_index(ws, header_row, label):
    headers = [c.value for c in ws[header_row]]
    assert label in headers, headers
    return headers.index(label)


def from_quarterly(content, names):
    ws = load_workbook(io.BytesIO(content))["汇总"]
    col = _header_index(ws, 3, "得分")
    rows = {str(r[0]).strip("　"): r[col] for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    return {n: _cell(rows[n]) for n in names}


def from_page(html, orgs):
    rows = dict(re.findall(r'<tr data-org="(\d+)">(.*?)</tr>', html, re.S))
    out = {}
    for org in orgs:
        m = re.search(r'class="[^"]*\bscore\b[^"]*">([^<]*)</td>', rows[str(org.pk)])
        out[org.name] = None if m.group(1).strip() == "—" else D(m.group(1).strip())
    return out


def from_results_workbook(content, names):
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    col = _header_index(ws, 3, "得分")
    name_col = _header_index(ws, 3, "单位")
    rows = {r[name_col]: r[col] for r in ws.iter_rows(min_row=4, values_only=True)}
    return {n: _cell(rows[n]) for n in names}


def test_the_same_score_in_quarterly_report_page_and_results_workbook(scored, client):
    c = scored
    orgs = [c.town1, c.town2, c.v11, c.v12, c.v21, c.commission]
    names = [o.name for o in orgs]
    with time_machine.travel(YEAR_END, tick=False):
        client.force_login(c.staff)
        truth = org_scores(2026, orgs)
        quarterly = client.get(reverse("reports:quarterly"), {"year": 2026, "quarter": 4})
        page = client.get(reverse("assessment:index"), {"year": 2026})
        results = client.get(reverse("reports:assessment_export"), {"year": 2026})
    assert quarterly.status_code == page.status_code == results.status_code == 200
    expected = {o.name: truth[o.pk].score for o in orgs}
    # the hand-computed figures of test_scoring.py
    assert expected[c.town1.name] == D("97.86") and expected[c.town2.name] == D("12.50")
    assert expected[c.v11.name] == D("50.00") and expected[c.v12.name] == D("99.99")

    in_quarterly = from_quarterly(quarterly.content, names)
    on_page = from_page(page.content.decode(), orgs)
    in_results = from_results_workbook(results.content, names)
    assert in_quarterly == on_page == in_results == expected


def test_an_org_with_nothing_due_has_no_score_anywhere(scored, client):
    c = scored          # the office's only task is cancelled: "—", never 0 or 100
    with time_machine.travel(YEAR_END, tick=False):
        client.force_login(c.staff)
        assert org_scores(2026, [c.office])[c.office.pk].score is None
        quarterly = client.get(reverse("reports:quarterly"), {"year": 2026, "quarter": 4}).content
        page = client.get(reverse("assessment:index"), {"year": 2026}).content.decode()
        results = client.get(reverse("reports:assessment_export"), {"year": 2026}).content
    name = c.office.name
    assert from_quarterly(quarterly, [name]) == from_page(page, [c.office]) == from_results_workbook(results, [name]) \
        == {name: None}
