"""The workbooks as printed: the quarterly workbook (every sheet, 整改台账 included), the
整改台账 download and the 考核 workbook, converted to PDF by LibreOffice and read back.

On A4 landscape, fit to the width: no glyph printed smaller than 9 pt, wrapped text never
printed over the next row, the header row on every page, a sane number of pages. The first
pages are rendered to var/screenshots/print-*.png to be looked at."""

from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
import time_machine

from inspections import services
from inspections.ledger import HEADERS as LEDGER_HEADERS, ledger_workbook
from reports.assessment_xlsx import assessment_workbook
from reports.workbook import build_quarterly
from accounts.models import OrgUnit
from tests.inspections.conftest import leader, make_finding, make_inspection  # noqa: F401 (leader: a fixture)
from tests.printed import a4, read, screenshots, to_pdf

from .conftest import at, make_task, populate

pytestmark = pytest.mark.django_db
FLOOR_PT = 9.0
LONG = "三会一课落实不到位，支部组织生活不规范，会议记录缺失，党员学习教育流于形式，未按要求开展谈心谈话"


def _measures(county, leader):
    with time_machine.travel(at(2026, 5, 1, 9), tick=False):
        insp = make_inspection(county, leader, [])
        for i in range(14):
            finding = make_finding(county, insp)
            services.create_measure(
                county.staff, finding, org=(county.town1, county.v11, county.v12)[i % 3],
                goal="规范组织生活，健全制度" * (1 + i % 3), action=LONG[: 20 + 4 * i],
                deadline=date(2026, 7 + i % 5, 1 + i), type="deadline", leader_name="张书记", person_name="李委员")


def _assessment_groups(county):
    orgs = [county.town1, county.town2, county.v11, county.v12, county.v21, county.office]
    rows = []
    for rank, org in enumerate(orgs, start=1):
        s = SimpleNamespace(earned=D("40.5"), maximum=D("50"), base=D("81.00"), bonus=D("2"), deduction=D("1.5"),
                            measure_deduction=D("0.5"), score=D("81.00") - rank, rank=rank, peers=len(orgs), veto=rank == 6)
        rows.append({"s": s, "town": "城关镇", "org": org, "grade_label": "良好", "flagged": rank > 4})
    risks = [SimpleNamespace(org=county.v11, post="村党组织书记", description=LONG, get_level_display=lambda: "高",
                             controls="集体决策、公开公示、纪检委员全程监督" * 2, owner="张三", reviewed_on=date(2026, 6, 1))]
    return [{"label": "乡镇", "rows": rows}], risks


@pytest.fixture
def printed(county, leader, tmp_path):
    populate(county)
    for i in range(12):   # long titles and notes: wrapped over several lines
        make_task(county.v12, due=date(2026, 8, 1 + i), title=f"{LONG[: 10 + 5 * i]}（第{i}项）", note=LONG * (i % 3),
                  period_start=date(2026, 7, 1), period_end=date(2026, 9, 30), period_label="2026年第3季度")
    _measures(county, leader)
    groups, risks = _assessment_groups(county)
    with time_machine.travel(at(2026, 9, 20, 10), tick=False):
        files = {
            "quarterly": build_quarterly(county.staff, 2026, 3),
            "ledger": ledger_workbook(OrgUnit.objects.all()),
            "assessment": assessment_workbook(2026, groups, risks, user=county.staff),
        }
    paths = []
    for name, data in files.items():
        path = tmp_path / f"print-{name}.xlsx"
        path.write_bytes(data)
        paths.append(path)
    return {p.stem.removeprefix("print-"): read(pdf) for p, pdf in zip(paths, to_pdf(paths, tmp_path))}, tmp_path


def test_every_workbook_prints_readable_on_a4_landscape(printed):
    docs, tmp = printed
    for name, doc in docs.items():
        screenshots(tmp / f"print-{name}.pdf", f"print-{name}")
        assert doc.pages and all(a4(p, landscape=True) for p in doc.pages), name
        smallest = min(doc.sizes)
        assert smallest >= FLOOR_PT, f"{name}: text printed at {smallest:.1f} pt"
        assert not doc.overlaps(), f"{name}: lines printed over one another: {doc.overlaps()[:3]}"


def test_page_count_and_header_on_every_page(printed):
    docs, _tmp = printed
    # quarterly: 汇总, 逾期明细, 事项完成情况, 整改台账 — each fits on a few pages, never split across the width
    q = docs["quarterly"]
    assert 4 <= len(q.pages) <= 12, len(q.pages)
    ledger = docs["ledger"]
    assert 2 <= len(ledger.pages) <= 8, len(ledger.pages)
    for page in range(1, len(ledger.pages) + 1):   # the header row is repeated, all 18 columns on each page
        text = ledger.text(page)
        assert "序号" in text and "问题描述" in text and "问责" in text, page
    assert 2 <= len(docs["assessment"].pages) <= 4
    # the 14 measures are all printed, in order
    numbers = [ln.text for ln in ledger.lines if ln.text.isdigit() and ln.x0 < 60]
    assert numbers[-1] == "14"
    assert all(h[:2] in ledger.text() for h in LEDGER_HEADERS)
