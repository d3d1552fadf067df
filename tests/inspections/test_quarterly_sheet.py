"""The 整改台账 sheet of the quarterly workbook (registered by InspectionsConfig.ready):
read back cell by cell; each reader's workbook holds exactly the measures of their scope."""

import io
from datetime import date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from inspections import services
from inspections.ledger import HEADERS
from reports.workbook import build_quarterly

from .conftest import at, make_finding, make_inspection, make_measure

pytestmark = pytest.mark.django_db

SHEET = "整改台账"
ROUND = "2026年第一轮巡察/巡察"


def pdf(name="整改台账.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 rectification evidence", content_type="application/pdf")


@pytest.fixture
def measures(county, leader):
    """Four measures of one town1 finding: town1 (closed, 销号), 东村 (progress, overdue), 河口镇, 南村."""
    with time_machine.travel(at(2026, 5, 1, 9), tick=False):
        finding = make_finding(county, make_inspection(county, leader, []))
        m_t1 = make_measure(county, finding, deadline=date(2026, 7, 31))
        m_v11 = make_measure(county, finding, deadline=date(2026, 5, 20), org=county.v11)
        m_t2 = make_measure(county, finding, deadline=date(2026, 8, 31), org=county.town2)
        m_v21 = make_measure(county, finding, deadline=date(2026, 9, 30), org=county.v21)
    with time_machine.travel(at(2026, 5, 10, 9), tick=False):
        services.record_progress(county.v11_disc, m_v11, note="已召开专题组织生活会", uploaded=pdf())
    with time_machine.travel(at(2026, 5, 12, 9), tick=False):
        services.record_progress(county.t1_clerk, m_t1, note=None, uploaded=pdf())
        services.request_closure(county.t1_clerk, m_t1, note="三会一课台账已建立")
        services.verify(county.staff, m_t1, approve=True, comment="同意销号")
    return m_t1, m_v11, m_t2, m_v21


def expected(county, measure, seq, *, progress, files, status, verified=None):  # empty text reads back as None
    return [
        seq, ROUND, "城关镇", "党的建设", "三会一课落实不到位", "规范组织生活", "建立三会一课台账，每月检查", "张书记",
        measure.org.name, "李委员", datetime.combine(measure.deadline, datetime.min.time()), "限期整改", progress,
        f"{files} 个文件", status, verified, None, None,
    ]


def sheet_rows(content):
    book = load_workbook(io.BytesIO(content))
    assert SHEET in book.sheetnames
    assert book.sheetnames.index(SHEET) > book.sheetnames.index("事项完成情况")  # order=40, after reports' own
    ws = book[SHEET]
    assert [c.value for c in ws[3]] == HEADERS  # title, 制表单位/日期, header (reports.xlsx house style)
    assert ws.freeze_panes == "B4"
    return [[c.value for c in row] for row in ws.iter_rows(min_row=4)]


def staff_name(county):
    return county.staff.get_full_name() or county.staff.username


def test_county_staff_workbook_holds_every_measure(county, measures):
    m_t1, m_v11, m_t2, m_v21 = measures
    with time_machine.travel(at(2026, 6, 2, 9), tick=False):
        rows = sheet_rows(build_quarterly(county.staff, 2026, 2))
    assert rows == [
        expected(county, m_t1, 1, progress="三会一课台账已建立", files=1, status="已销号", verified=f"{staff_name(county)} 2026年5月12日"),
        expected(county, m_v11, 2, progress="2026年5月10日 已召开专题组织生活会", files=1, status="逾期"),
        expected(county, m_t2, 3, progress=None, files=0, status="未启动"),
        expected(county, m_v21, 4, progress=None, files=0, status="未启动"),
    ]


def test_town_secretary_download_holds_only_their_subtree(county, measures, client):
    m_t1, m_v11, _m_t2, _m_v21 = measures
    client.force_login(county.t1_disc)
    with time_machine.travel(at(2026, 6, 2, 9), tick=False):
        response = client.get(reverse("reports:quarterly"), {"year": 2026, "quarter": 2})
    assert response.status_code == 200
    assert sheet_rows(response.content) == [
        expected(county, m_t1, 1, progress="三会一课台账已建立", files=1, status="已销号", verified=f"{staff_name(county)} 2026年5月12日"),
        expected(county, m_v11, 2, progress="2026年5月10日 已召开专题组织生活会", files=1, status="逾期"),
    ]


def test_other_town_and_village_see_only_theirs(county, measures):
    _m_t1, m_v11, m_t2, m_v21 = measures
    with time_machine.travel(at(2026, 6, 2, 9), tick=False):
        assert sheet_rows(build_quarterly(county.t2_disc, 2026, 2)) == [
            expected(county, m_t2, 1, progress=None, files=0, status="未启动"),
            expected(county, m_v21, 2, progress=None, files=0, status="未启动"),
        ]
        assert sheet_rows(build_quarterly(county.v11_disc, 2026, 2)) == [
            expected(county, m_v11, 1, progress="2026年5月10日 已召开专题组织生活会", files=1, status="逾期"),
        ]


def test_status_is_as_of_the_report_date(county, measures):
    """Before 东村's deadline its measure is in progress (整改中), not overdue."""
    with time_machine.travel(at(2026, 5, 15, 9), tick=False):
        rows = sheet_rows(build_quarterly(county.v11_disc, 2026, 2))
    assert [r[14] for r in rows] == ["整改中"]
