"""The ONE workbook style of qingdan (openpyxl): a merged title row, a 制表单位 /
制表日期 row, a styled header, frozen panes, autofilter, column widths, A4
landscape fit to width with the header repeated on every printed page; numbers
as numbers, dates as dates, percentages as percentages; any text starting with
= + - @ neutralised so a spreadsheet never runs it as a formula.

Other apps add sheets to the quarterly workbook through
``reports.workbook.register_sheet`` by returning a :class:`Table`; they never
style cells themselves."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

INT, DEC, PCT, DATE, TEXT = "int", "dec", "pct", "date", "text"
FORMATS = {INT: "0", DEC: "0.00", PCT: "0.0%", DATE: "yyyy-mm-dd", TEXT: "@"}
FORMULA_START = ("=", "+", "-", "@")

_thin = Side(style="thin", color="999999")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)


@dataclass
class Column:
    header: str
    kind: str = TEXT
    width: float = 12


@dataclass
class Table:
    columns: list[Column]
    rows: Iterable[list] = field(default_factory=list)


def safe(value):
    """Neutralise a text cell that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell_value(value, kind):
    if value is None:
        return None if kind != TEXT else ""
    if kind == DATE and isinstance(value, datetime):
        return value.date()
    if kind in (INT, DEC, PCT) and isinstance(value, Decimal):
        return float(value)
    return safe(value) if isinstance(value, str) else value


def write_table(ws, *, title: str, unit: str, made_on: date, table: Table) -> int:
    """Write ``table`` onto worksheet ``ws`` in the house style; returns the number of data rows."""
    cols = table.columns
    n = len(cols)
    last = get_column_letter(n)
    ws.append([safe(title)] + [None] * (n - 1))
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    ws.append([f"制表单位：{unit}"] + [None] * (n - 1))
    if n >= 2:
        ws.cell(row=2, column=n, value=f"制表日期：{made_on:%Y-%m-%d}").alignment = Alignment(horizontal="right")
    ws.append([safe(c.header) for c in cols])
    for i, c in enumerate(cols, start=1):
        cell = ws.cell(row=3, column=i)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = c.width
    count = 0
    for row in table.rows:
        count += 1
        r = 3 + count
        for i, (c, v) in enumerate(zip(cols, row), start=1):
            cell = ws.cell(row=r, column=i, value=_cell_value(v, c.kind))
            cell.border = BORDER
            if cell.value is not None and c.kind != TEXT:
                cell.number_format = FORMATS[c.kind]
            if c.kind == TEXT:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B4"
    ws.auto_filter.ref = f"A3:{last}{3 + max(count, 1)}"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    return count
