"""The ONE workbook style of qingdan (openpyxl): a merged title row, a 制表单位 /
制表日期 row, a styled header, frozen panes, autofilter, column widths; numbers
as numbers, dates as dates (2026年12月6日, accounts.dates), percentages as
percentages; any text starting with = + - @ neutralised (accounts.xlsx.neutralise)
so a spreadsheet never runs it as a formula.

Every sheet prints readable on A4 landscape (``print_setup``, the one print setup of
every workbook qingdan writes): fit to the page's width, as many pages tall as it takes,
the header row repeated on each page, page numbers in the footer. The columns are
narrowed (``fit_widths``) so that after fitting to the width no text is printed smaller
than ``MIN_PRINTED_PT``, and each row is as tall as its wrapped text (``row_height``).

Other apps add sheets to the quarterly workbook through
``reports.workbook.register_sheet`` by returning a :class:`Table`; they never
style cells themselves."""

from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from math import ceil
from typing import Iterable

from django.conf import settings
from django.utils import timezone
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from accounts.dates import EXCEL_DAY, day
from accounts.xlsx import neutralise

class _Cell(Cell):
    """A data cell whose style id is looked up once, when the cell is made: openpyxl's own
    ``style_id`` hashes the style array into the workbook's list again for every cell written."""

    __slots__ = ("_sid",)

    @property
    def style_id(self):
        return self._sid

    @property
    def has_style(self):
        return True


def _fixed(ws, proto) -> _Cell:
    cell = _Cell(ws)
    cell._style = copy(proto._style)
    cell._sid = proto.parent.parent._cell_styles.add(cell._style)
    return cell


def _cells_to_row(cells, row_idx):
    """Replaces a write-only sheet's ``_values_to_row`` while the data rows are appended: every
    value is one of our prepared cells, so openpyxl's try-to-assign-then-catch per cell and the
    fresh cell it makes after each styled one are not needed."""
    for col_idx, cell in enumerate(cells, 1):
        cell.column = col_idx
        cell.row = row_idx
        yield cell


INT, DEC, PCT, DATE, TEXT, AUTO = "int", "dec", "pct", "date", "text", "auto"
FORMATS = {INT: "0", DEC: "0.00", PCT: "0.0%", DATE: EXCEL_DAY, TEXT: "@"}

_thin = Side(style="thin", color="999999")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
TITLE_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")   # numbers and dates: on the first line of a tall row


# --- paper: A4 landscape, fit to width -------------------------------------------------
# Lengths in points (pt) or in column-width units (the width of "0" in the body font, 11 pt
# Calibri: 7 px = 5.25 pt in Excel, about 5.55 pt in LibreOffice with Carlito, Calibri's
# metric twin; the larger is used so that both print at least as large as computed).
BODY_PT = 11                      # the workbook's body font (openpyxl's default)
MIN_PRINTED_PT = 9.5              # no text printed smaller, after fitting to the width
UNIT_PT = 5.6
A4_LANDSCAPE_PT = 841.9           # 297 mm
SIDE_MARGIN_IN = 0.3
PRINTABLE_PT = A4_LANDSCAPE_PT - 2 * SIDE_MARGIN_IN * 72
MAX_SHEET_UNITS = PRINTABLE_PT / (MIN_PRINTED_PT / BODY_PT) / UNIT_PT   # ≈ 165 units
MIN_TEXT_UNITS = 7                # a text column is never narrowed below 3 Chinese characters
DATE_UNITS = 15                   # 2026年12月31日
WIDE_UNITS = 2.1                  # one Chinese character (full width) at the body size
NARROW_UNITS = 1.1                # a Latin letter or digit
PAD_UNITS = 0.8                   # the cell's inner margins
LINE_PT = 15                      # one line of 11 pt text (Excel's; LibreOffice needs about 13)
ROW_PAD_PT = 4


def print_setup(ws, header_row: int) -> None:
    """A4 landscape, fit to one page wide (any number tall), narrow side margins, the
    header row repeated on every page, 第 n 页 / 共 n 页 in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    m = ws.page_margins
    m.left = m.right = SIDE_MARGIN_IN
    m.top = m.bottom = 0.5
    m.header = m.footer = 0.25
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = BODY_PT   # scaled with the sheet, like the body


def fit_widths(widths: list[float], narrowable: list[bool]) -> list[float]:
    """The column widths, the narrowable (wrapping text) ones scaled down by one factor (none
    below ``MIN_TEXT_UNITS``) so that the sheet is at most ``MAX_SHEET_UNITS`` wide."""
    widths = [float(w) for w in widths]
    if sum(widths) <= MAX_SHEET_UNITS:
        return widths

    def scaled(f):
        return [max(min(w, MIN_TEXT_UNITS), w * f) if n else w for w, n in zip(widths, narrowable)]

    low, high = 0.0, 1.0
    for _ in range(30):   # the largest factor that fits
        mid = (low + high) / 2
        low, high = (mid, high) if sum(scaled(mid)) <= MAX_SHEET_UNITS else (low, mid)
    return [int(w * 10) / 10 for w in scaled(low)]


def text_units(text: str) -> float:
    """The width of one line of ``text`` in column units (Chinese characters count double)."""
    n = len(text)
    wide = (len(text.encode("utf-8")) - n) // 2   # CJK: 3 bytes in UTF-8, Latin: 1
    return n * NARROW_UNITS + wide * (WIDE_UNITS - NARROW_UNITS)


def text_lines(text: str, width: float, size: float = BODY_PT) -> int:
    """How many lines ``text`` wraps into in a column ``width`` units wide."""
    room = max(width - PAD_UNITS, 1.0) * BODY_PT / size
    if len(text) * WIDE_UNITS <= room:
        return 1 + text.count("\n")
    return sum(max(1, ceil(text_units(part) / room)) for part in text.split("\n"))


def row_height(values, widths, size: float = BODY_PT) -> float | None:
    """The height (pt) of a row whose text wraps in columns of ``widths``; None when one line fits."""
    lines = 1
    for v, w in zip(values, widths):
        if v.__class__ is str and v:
            lines = max(lines, text_lines(v, w, size))
    if lines == 1:
        return None
    return round(lines * LINE_PT * size / BODY_PT + ROW_PAD_PT, 1)


def unit_of(org) -> str:
    """The 制表单位 of a workbook about ``org``: the county commission for a county, the
    commission of a 市 / province for an org above the counties, else the org itself."""
    from accounts.models import OrgKind

    if settings.QINGDAN_REPORT_UNIT:
        return settings.QINGDAN_REPORT_UNIT
    if org is None or org.kind == OrgKind.COUNTY:
        return "县纪委监委"
    return f"{org.name}纪委监委" if org.kind == OrgKind.PROVINCE else org.name


def report_unit(user) -> str:
    """The 制表单位 of a workbook made for ``user`` (the 考核 results, the task list, a binder's
    index): the commission of the reader's own top org (unit_of)."""
    from accounts.scope import scope_roots

    roots = scope_roots(user, "view") if user is not None else []
    return unit_of(roots[0] if roots else None)


@dataclass
class Column:
    header: str
    kind: str = TEXT
    width: float = 12
    fills: dict | None = None  # a cell value → its fill colour (RGB hex), e.g. a warning colour's


@dataclass
class Table:
    columns: list[Column]
    rows: Iterable[list] = field(default_factory=list)


def _cell_value(value, kind):
    if value is None:
        return None
    if kind == DATE and isinstance(value, datetime):
        return value.date()
    if kind in (INT, DEC, PCT) and isinstance(value, Decimal):
        return float(value)
    return neutralise(value) if isinstance(value, str) else value


def _styled(ws, value, *, font=None, fill=None, border=None, alignment=None, number_format=None):
    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if alignment is not None:
        cell.alignment = alignment
    if number_format is not None:
        cell.number_format = number_format
    return cell


def write_table(ws, *, title: str, unit: str | None = None, made_on: date | None = None, table: Table | None = None,
                headers=None, rows=None, widths=None) -> int:
    """Write a table onto ``ws`` (a normal or a write-only worksheet) in the house style.

    Either ``table`` (typed columns) or ``headers`` / ``rows`` / ``widths`` (text and
    dates guessed per value). Returns the number of data rows."""
    if table is None:
        widths = list(widths or [14] * len(headers))
        table = Table([Column(h, AUTO, w) for h, w in zip(headers, widths)], rows or [])
    made_on = made_on or timezone.localdate()
    with_unit = unit is not None  # without a 制表单位 the header is row 2 (as inspections.ledger lays it out)
    head = 3 if with_unit else 2
    cols = table.columns
    n = len(cols)
    last = get_column_letter(n)
    # sheet-level settings first: a write-only sheet writes its head with the first row
    widths = fit_widths([max(c.width, DATE_UNITS) if c.kind == DATE else c.width for c in cols],
                        [c.kind in (TEXT, AUTO) for c in cols])
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = f"{'B' if with_unit else 'A'}{head + 1}"
    print_setup(ws, head)
    rows_dims = ws.row_dimensions

    title = neutralise(title)
    rows_dims[1].height = max(28, row_height([title], [sum(widths)], TITLE_FONT.sz) or 0)   # before the row is written
    ws.append([_styled(ws, title, font=TITLE_FONT, alignment=TITLE_ALIGN)])
    if with_unit:
        second = [_styled(ws, f"制表单位：{unit}")] + [None] * max(n - 2, 0)
        if n >= 2:
            second.append(_styled(ws, f"制表日期：{day(made_on)}", alignment=RIGHT))
        ws.append(second)
    headers = [neutralise(c.header) for c in cols]
    height = row_height(headers, widths)
    if height:
        rows_dims[head].height = height
    ws.append([_styled(ws, h, font=HEADER_FONT, fill=HEADER_FILL, border=BORDER, alignment=HEADER_ALIGN) for h in headers])
    # Data cells: one styled cell per column (and one for an empty value), styled once and
    # re-filled for every row. A write-only sheet writes the row out inside append(), so the
    # cell is free again for the next row; styling each new cell instead makes openpyxl hash
    # the Font/Border/Alignment objects again for every cell (most of the time of a big sheet).
    filled, empty = [], []
    for c in cols:
        if c.kind == TEXT:
            filled.append(_styled(ws, None, border=BORDER, alignment=WRAP))
            empty.append(_styled(ws, None, border=BORDER, alignment=WRAP))
        elif c.kind == AUTO:
            filled.append(None)
            empty.append(_styled(ws, None, border=BORDER, alignment=WRAP))
        else:
            filled.append(_styled(ws, None, border=BORDER, alignment=TOP, number_format=FORMATS[c.kind]))
            empty.append(_styled(ws, None, border=BORDER, alignment=TOP))
    # a column with fills: one more prepared cell per filled value
    painted = [{v: _styled(ws, None, border=BORDER, alignment=WRAP, fill=PatternFill("solid", fgColor=rgb))
                for v, rgb in (c.fills or {}).items()} for c in cols]
    reuse = not hasattr(ws, "merge_cells")  # a write-only sheet (a normal one has merge_cells)
    if reuse:
        filled = [None if p is None else _fixed(ws, p) for p in filled]
        empty = [_fixed(ws, p) for p in empty]
        painted = [{v: _fixed(ws, p) for v, p in by_value.items()} for by_value in painted]

    def new(proto, value=None):  # a normal sheet keeps every cell object: a new one, style ids copied
        cell = WriteOnlyCell(ws, value=value)
        cell._style = copy(proto._style)
        return cell

    auto = {}  # (column, guessed kind) → its cell, for tables given as headers / rows
    count = 0
    if reuse:
        ws._values_to_row = _cells_to_row
    try:
        for row in table.rows:
            count += 1
            out = []
            for i, v in enumerate(row[:n]):
                if v is None:
                    out.append(empty[i] if reuse else new(empty[i]))
                    continue
                cell = painted[i].get(v, filled[i]) if painted[i] else filled[i]
                if cell is None:  # AUTO: guessed per value
                    kind = _guess(v)
                    cell = auto.get((i, kind))
                    if cell is None:
                        proto = (_styled(ws, None, border=BORDER, alignment=WRAP) if kind == TEXT else
                                 _styled(ws, None, border=BORDER, alignment=TOP, number_format=FORMATS[kind]))
                        cell = auto[(i, kind)] = _fixed(ws, proto) if reuse else proto
                else:
                    kind = cols[i].kind
                if reuse:
                    cell.value = _cell_value(v, kind)
                else:
                    cell = new(cell, _cell_value(v, kind))
                out.append(cell)
            height = row_height(row, widths)
            if height is None:
                ws.append(out)
            elif reuse:   # the writer reads the row's attributes as it writes it: a plain dict, dropped after
                dict.__setitem__(rows_dims, head + count, {"ht": str(height), "customHeight": "1"})
                ws.append(out)
                dict.__delitem__(rows_dims, head + count)
            else:
                rows_dims[head + count].height = height
                ws.append(out)
    finally:
        if reuse:
            del ws._values_to_row
    rng = f"A1:{last}1"
    if hasattr(ws, "merge_cells"):
        ws.merge_cells(rng)
    else:
        ws.merged_cells.add(CellRange(rng))
    ws.auto_filter.ref = f"A{head}:{last}{head + max(count, 1)}"
    return count


def _guess(value):
    if isinstance(value, (date, datetime)):
        return DATE
    if isinstance(value, bool) or value is None:
        return TEXT
    if isinstance(value, int):
        return INT
    if isinstance(value, (float, Decimal)):
        return DEC
    return TEXT
