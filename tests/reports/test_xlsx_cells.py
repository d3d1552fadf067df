"""reports.xlsx writes the same cells (value, number format, border, alignment) whether the
sheet is write-only (data cells prepared once per column and re-filled, their style id fixed)
or a normal one (a new cell per value), typed columns and guessed ones alike."""

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from accounts.dates import EXCEL_DAY as DAY
from reports.xlsx import DATE, DEC, INT, PCT, TEXT, Column, Table, write_table

ROWS = [
    ["=SUM(A1)", 1, Decimal("2.50"), 0.5, date(2026, 1, 2)],
    [None, None, None, None, None],
    ["普通文字", 3, 4.0, None, datetime(2026, 3, 4, 10, 0)],
    ["@x", 0, Decimal("0"), 1, date(2026, 12, 31)],
]
COLS = [Column("文字", TEXT), Column("整数", INT), Column("小数", DEC), Column("比例", PCT), Column("日期", DATE)]


def _cells(write_only):
    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    for name in ("a", "b"):  # two sheets: prepared cells of one do not leak into the other
        write_table(wb.create_sheet(name), title="标题", unit="单位", made_on=date(2026, 1, 1), table=Table(COLS, ROWS))
    write_table(wb.create_sheet("auto"), title="标题", made_on=date(2026, 1, 1), headers=["h1", "h2", "h3"],
                rows=[["a", 1, date(2026, 1, 1)], [date(2026, 1, 2), None, "b"], [2.5, "c", None]])
    out = io.BytesIO()
    wb.save(out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    return {ws.title: [[(c.value, c.number_format, c.border.left.style, c.alignment.wrap_text) for c in row]
                       for row in ws.iter_rows()] for ws in book.worksheets}


def test_write_only_and_normal_sheets_hold_the_same_cells():
    fast, normal = _cells(True), _cells(False)
    assert fast == normal
    data = fast["a"][3:]
    assert data[0] == [("'=SUM(A1)", "General", "thin", True), (1, "0", "thin", None), (2.5, "0.00", "thin", None),
                       (0.5, "0.0%", "thin", None), (datetime(2026, 1, 2), DAY, "thin", None)]
    assert all(cell[0] is None and cell[2] == "thin" for cell in data[1])          # empty, still bordered
    assert data[2][4] == (datetime(2026, 3, 4), DAY, "thin", None)        # datetime → date
    assert data[3][0][0] == "'@x" and fast["b"] == fast["a"]
    auto = fast["auto"][2:]
    assert [c[:2] for c in auto[0]] == [("a", "General"), (1, "0"), (datetime(2026, 1, 1), DAY)]
    assert [c[:2] for c in auto[1]] == [(datetime(2026, 1, 2), DAY), (None, "General"), ("b", "General")]
    assert [c[:2] for c in auto[2]] == [(2.5, "0.00"), ("c", "General"), (None, "General")]


def _heights(write_only):
    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    cols = [Column("单位", TEXT, 10), Column("事项", TEXT, 60), Column("日期", DATE, 12)] + [Column(f"列{i}", TEXT, 20) for i in range(8)]
    rows = [["东村", "短", date(2026, 1, 2)], ["城关镇东村", "三会一课落实不到位" * 8, None], ["a\nb\nc", "x", None]]
    write_table(wb.create_sheet("s"), title="标题", unit="单位", made_on=date(2026, 1, 1), table=Table(cols, rows))
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(io.BytesIO(out.getvalue()))["s"]
    widths = [ws.column_dimensions[chr(65 + i)].width for i in range(len(cols))]
    return [ws.row_dimensions[r].height for r in range(1, 7)], widths, ws


def test_rows_as_tall_as_their_text_and_sheet_narrow_enough_to_print():
    from reports.xlsx import DATE_UNITS, LINE_PT, MAX_SHEET_UNITS, MIN_TEXT_UNITS

    fast, widths, ws = _heights(True)
    assert (fast, widths) == _heights(False)[:2]
    assert sum(widths) <= MAX_SHEET_UNITS and widths[2] == DATE_UNITS      # narrowed to print; a date keeps its width
    assert widths[0] == MIN_TEXT_UNITS and abs(widths[1] - 3 * widths[3]) < 0.5  # text columns narrowed by one factor
    title, _unit, header, short, long_text, three = fast
    assert short is None and long_text >= 4 * LINE_PT and three >= 3 * LINE_PT   # 72 characters in 39 units: 4 lines
    assert ws.print_title_rows == "$3:$3" and ws.page_setup.fitToHeight == 0 and ws.page_margins.left == 0.3
    assert ws.cell(4, 3).number_format == DAY and ws.cell(4, 3).alignment.vertical == "top"
