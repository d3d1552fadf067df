"""The quarterly workbook read back with openpyxl, cell by cell against the database."""

import io
import shutil
import subprocess
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent, OrgUnit
from accounts.dates import EXCEL_DAY
from reports.workbook import build_quarterly, title
from accounts.xlsx import neutralise as safe
from tasks.models import Task
from tasks.warnings import LOOKS, Colour
from tests.conftest import require_services

from .conftest import AS_OF, at, make_task, populate

pytestmark = pytest.mark.django_db


def _book(content):
    return load_workbook(io.BytesIO(content))


def _data(ws):
    return [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]


@pytest.fixture
def book(county):
    populate(county)
    with time_machine.travel(at(2026, 9, 20, 10), tick=False):
        return _book(build_quarterly(county.staff, 2026, 3))


def expected_org(org, as_of=AS_OF):
    qs = Task.objects.filter(org__path__startswith=org.path).exclude(status="cancelled").filter(
        due_date__gte=date(2026, 7, 1), due_date__lte=min(as_of, date(2026, 9, 30)))
    due = qs.count()
    done = [t for t in qs if t.status in ("submitted", "approved") and t.completed_on and t.completed_on <= as_of]
    on_time = sum(1 for t in done if t.completed_on <= t.due_date)
    return [due, on_time, len(done) - on_time, due - len(done), (len(done) / due) if due else None]


def test_layout_and_print_setup(book):
    assert book.sheetnames[:3] == ["汇总", "逾期明细", "事项完成情况"]
    for ws in book.worksheets:
        assert ws["A1"].value == title(2026, 3) == "示范县2026年第3季度全面从严治党主体责任落实情况统计表"
        assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges)
        assert ws["A2"].value.startswith("制表单位：") and ws.cell(2, ws.max_column).value == "制表日期：2026年9月20日"
        assert ws.freeze_panes == "B4" and ws.auto_filter.ref.startswith("A3:")
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$3:$3"
        assert ws["A3"].font.bold


def test_summary_cell_by_cell(county, book):
    ws = book["汇总"]
    headers = [c.value for c in ws[3]]
    assert headers[:7] == ["单位", "类别", "应完成", "按时完成", "逾期完成", "未完成", "完成率"]
    rows = _data(ws)
    names = [r[0].strip("　") for r in rows]
    assert names == ["县纪委监委", "县委办", "城关镇", "东村", "西村", "河口镇", "南村"]
    for r in rows:
        org = OrgUnit.objects.get(name=r[0].strip("　"))
        assert r[2:7] == expected_org(org), org.name
    town1 = rows[2]
    assert town1[2:6] == [6, 3, 1, 2]
    pct = ws.cell(row=4 + 2, column=7)
    assert pct.number_format == "0.0%" and isinstance(pct.value, float)
    assert rows[0][6] is None  # nothing due → empty, not 100 %


def test_overdue_sheet_against_database(county, book):
    rows = _data(book["逾期明细"])
    open_late = Task.objects.filter(due_date__gte=date(2026, 7, 1), due_date__lt=AS_OF, status__in=("pending", "returned"))
    done_late = [t for t in Task.objects.filter(status__in=("submitted", "approved"), due_date__gte=date(2026, 7, 1),
                                                due_date__lte=AS_OF) if t.completed_on > t.due_date]
    assert len(rows) == open_late.count() + len(done_late) == 5
    for r in rows:
        t = Task.objects.get(title=r[1], org__name=r[0], due_date=r[3].date())
        if r[6] == "逾期完成":
            assert r[5] == (t.completed_on - t.due_date).days and r[4].date() == t.completed_on
        else:
            assert r[5] == (AS_OF - t.due_date).days and r[4] is None
    assert book["逾期明细"].cell(4, 4).number_format == EXCEL_DAY == 'yyyy"年"m"月"d"日"'
    # the state cell is filled as its warning colour (tasks.warnings.LOOKS), the other cells are not
    fills = {LOOKS[Colour.LATE].fill: "逾期完成", LOOKS[Colour.RED].fill: "逾期未完成"}
    states = set()
    for row in book["逾期明细"].iter_rows(min_row=4):
        state = row[6]
        assert fills[state.fill.fgColor.rgb[-6:]] == state.value
        assert row[1].fill.fill_type is None
        states.add(state.value)
    assert states == {"逾期完成", "逾期未完成"}


def test_items_sheet(county, book):
    rows = _data(book["事项完成情况"])
    total_due = sum(r[3] for r in rows)
    assert total_due == expected_org(county.county)[0]
    for r in rows:
        qs = Task.objects.filter(title=r[0], due_date__gte=date(2026, 7, 1), due_date__lte=AS_OF).exclude(status="cancelled")
        assert r[3] == qs.count()


def test_formula_text_is_neutralised(county):
    make_task(county.v11, due=date(2026, 8, 1), title="=HYPERLINK(\"http://x\")", note="+1-2")
    with time_machine.travel(at(2026, 9, 20, 10), tick=False):
        wb = _book(build_quarterly(county.staff, 2026, 3))
    row = [r for r in _data(wb["逾期明细"]) if "HYPERLINK" in r[1]][0]
    assert row[1].startswith("'=") and row[7] == "'+1-2"
    assert safe("@x") == "'@x" and safe("-") == "'-" and safe("ok") == "ok" and safe(3) == 3


def test_town_secretary_workbook_holds_only_their_subtree(county, client):
    populate(county)
    client.force_login(county.t1_party)
    with time_machine.travel(at(2026, 9, 20, 10), tick=False):
        response = client.get(reverse("reports:quarterly"), {"year": 2026, "quarter": 3})
        outside = client.get(reverse("reports:quarterly"), {"org": "T2"})
    assert response.status_code == 200
    wb = _book(response.content)
    allowed = set(OrgUnit.objects.filter(path__startswith=county.town1.path).values_list("name", flat=True))
    for name in ("汇总", "逾期明细"):
        rows = _data(wb[name])
        assert rows
        for r in rows:
            assert r[0].strip("　") in allowed, (name, r)
    assert "河口镇" not in str(_data(wb["汇总"])) and "南村" not in str(_data(wb["逾期明细"]))
    ev = AuditEvent.objects.get(action="reports.exported")
    assert ev.actor == county.t1_party
    assert outside.status_code == 404
    assert AuditEvent.objects.filter(action="reports.exported").count() == 1


def test_command_writes_file_and_audits(county, tmp_path):
    populate(county)
    out = tmp_path / "q.xlsx"
    with time_machine.travel(at(2026, 9, 20, 10), tick=False):
        call_command("export_quarterly", "--year", "2026", "--quarter", "3", "--org", "T1", "-o", str(out))
    wb = load_workbook(out)
    assert [r[0].strip("　") for r in _data(wb["汇总"])] == ["城关镇", "东村", "西村"]
    assert AuditEvent.objects.filter(action="reports.exported").count() == 1


def test_libreoffice_opens_it(book, tmp_path):
    """The workbook opens in LibreOffice (headless conversion, no repair). `make test` installs
    libreoffice-calc-nogui, so there a missing soffice is a failure, elsewhere a skip."""
    if not shutil.which("soffice"):
        if require_services():
            pytest.fail("QINGDAN_REQUIRE_SERVICES=1 but soffice (libreoffice-calc-nogui) is not installed", pytrace=False)
        pytest.skip("LibreOffice not installed")
    path = tmp_path / "q.xlsx"
    book.save(path)
    subprocess.run(["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(path)], check=True, timeout=120)
    assert (tmp_path / "q.csv").read_text(encoding="utf-8").startswith("示范县")
