"""Excel export and import of a list: Chinese headers, round trip, all or nothing
with row-level messages, and the file content checks."""

import io
import zipfile
from datetime import datetime

import pytest
import time_machine
from openpyxl import Workbook, load_workbook

from accounts.models import AuditEvent
from responsibilities import services
from responsibilities.imports import export_xlsx, import_xlsx
from responsibilities.models import ChecklistItem
from tasks.models import Task

from .conftest import at

pytestmark = pytest.mark.django_db

HEADER = ["序号", "事项", "具体要求", "责任类型", "频次", "截止规则", "天数", "固定日期", "台账要求", "分值", "每次得分", "得分上限", "是否重构"]


def xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row(seq, title="事项", freq="每季度", rule="期末前N天", days=10, md="", cat="集体责任", points=10):
    return [seq, title, "要求", cat, freq, rule, days, md, "台账", points, None, None, "否"]


def state():
    return sorted(ChecklistItem.objects.values_list("pk", "seq", "title", "frequency", "due_days", "due_month_day", "points", "lock_version"))


def test_export_has_chinese_headers_and_neutralises_formulas(county, make):
    cl = make("village", items=[{"title": "=HYPERLINK(\"http://x\")", "frequency": "M", "due_rule": "fixed", "due_month_day": "25"}, {"title": "普通事项"}])
    wb = load_workbook(io.BytesIO(export_xlsx(cl)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")"
    assert rows[1][4] == "每月" and rows[1][7] == "25" and rows[1][3] == "集体责任"
    assert rows[2][4] == "每季度" and rows[2][5] == "期末前N天" and rows[2][6] == 10


def test_round_trip_updates_and_adds(county, make):
    cl = make("village", items=[{"title": "甲"}, {"title": "乙"}])
    wb = load_workbook(io.BytesIO(export_xlsx(cl)))
    ws = wb.active
    ws.cell(row=2, column=2, value="甲（本县措辞）")
    ws.append(row(3, "丙", freq="每年", rule="固定日期", days=0, md=datetime(2026, 3, 31)))  # Excel turned 03-31 into a date
    buf = io.BytesIO()
    wb.save(buf)
    report = import_xlsx(cl, buf.getvalue(), county.staff)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)  # 乙 unchanged is an update with no change
    assert list(cl.items.order_by("seq").values_list("title", flat=True)) == ["甲（本县措辞）", "乙", "丙"]
    assert cl.items.get(seq=3).due_month_day == "03-31"
    assert AuditEvent.objects.filter(action="responsibilities.list_imported").count() == 1
    assert AuditEvent.objects.filter(action="responsibilities.item_created").count() == 1


def test_import_into_published_list_updates_future_tasks_and_generates(county, make):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("village", items=[{"title": "甲"}])
        services.publish(cl, county.staff)
    with time_machine.travel(at(2026, 5, 5, 9), tick=False):
        report = import_xlsx(cl, xlsx([row(1, "甲改"), row(2, "新", freq="每月", rule="固定日期", days=0, md="25")]), county.staff)
    assert report.ok, report.errors
    assert Task.objects.filter(title="甲改").count() == 6  # Q3, Q4 × 3 villages
    assert Task.objects.filter(title="新").count() == 3 * 8  # May–December
    cl.refresh_from_db()
    assert cl.version == 2  # one new version for the whole file


@pytest.mark.parametrize("rows,expected", [
    ([row(1), row(1, "重复")], "第3行，序号"),
    ([row(1), row(2, freq="每周")], "第3行，频次"),
    ([row(1, freq="每年", rule="固定日期", days=0, md="02-30")], "02-30 不存在"),
    ([row(1, title="")], "第2行，事项"),
    ([row(1, days=40, freq="每月")], "第2行，天数"),
    ([row(1), row("二")], "第3行，序号"),
    ([row(1, freq="节前", rule="节前N天", days=3)], "节假日"),
])
def test_bad_rows_import_nothing(county, make, rows, expected):
    cl = make("village", year=2030, items=[{"title": "原有"}])
    before = state()
    report = import_xlsx(cl, xlsx(rows), county.staff)
    assert not report.ok
    assert any(expected in e for e in report.errors), report.errors
    assert state() == before
    assert not AuditEvent.objects.filter(action="responsibilities.list_imported").exists()


def test_one_bad_row_among_good_ones_imports_nothing(county, make):
    cl = make("village", items=[{"title": "原有"}])
    before = state()
    report = import_xlsx(cl, xlsx([row(1, "改"), row(2, "好"), row(3, "坏", cat="无此类型")]), county.staff)
    assert not report.ok and len(report.errors) == 1 and report.errors[0].startswith("第4行")
    assert state() == before


def test_missing_column(county, make):
    cl = make("village", items=[{}])
    report = import_xlsx(cl, xlsx([[1, "甲"]], header=["序号", "事项"]), county.staff)
    assert not report.ok and any("责任类型" in e for e in report.errors) and any("频次" in e for e in report.errors)


def test_published_item_frequency_cannot_change_by_import(county, make):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("village", items=[{"title": "甲"}])
        services.publish(cl, county.staff)
    before = state()
    report = import_xlsx(cl, xlsx([row(1, "甲", freq="每月", rule="固定日期", days=0, md="25")]), county.staff)
    assert not report.ok and any("频次" in e for e in report.errors)
    assert state() == before


def _zip(parts: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def _with_part(name, data) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(xlsx([row(1)])))
    parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts[name] = data
    return _zip(parts)


@pytest.mark.parametrize("data,expected", [
    (b"", "空"),
    (b"not an excel file", "不是 Excel"),
    (_zip({"hello.txt": b"x"}), "不是 Excel"),
    (_with_part("xl/vbaProject.bin", b"macro"), "宏"),
    (_with_part("xl/sharedStrings.xml", b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><sst/>'), "XML"),
    (_with_part("xl/media/big.bin", b"\0" * (60 * 1024 * 1024)), "过大"),
])
def test_bad_files_are_refused(county, make, data, expected):
    cl = make("village", items=[{}])
    before = state()
    report = import_xlsx(cl, data, county.staff)
    assert not report.ok and any(expected in e for e in report.errors), report.errors
    assert state() == before


def test_too_many_rows(county, make, settings):
    cl = make("village", items=[{}])
    report = import_xlsx(cl, xlsx([row(i) for i in range(1, 503)]), county.staff)
    assert not report.ok and "500" in report.errors[0]
