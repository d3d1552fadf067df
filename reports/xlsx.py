"""The ONE workbook style of qingdan (openpyxl): a merged title row, a 制表单位 /
制表日期 row, a styled header, frozen panes, autofilter, column widths, A4
landscape fit to width with the header repeated on every printed page; numbers
as numbers, dates as dates, percentages as percentages; any text starting with
= + - @ neutralised (accounts.xlsx.neutralise) so a spreadsheet never runs it as a formula.

Other apps add sheets to the quarterly workbook through
``reports.workbook.register_sheet`` by returning a :class:`Table`; they never
style cells themselves."""

from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable

from django.conf import settings
from django.utils import timezone
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

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
FORMATS = {INT: "0", DEC: "0.00", PCT: "0.0%", DATE: "yyyy-mm-dd", TEXT: "@"}

_thin = Side(style="thin", color="999999")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
CENTER = Alignment(horizontal="center", vertical="center")
RIGHT = Alignment(horizontal="right")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def report_unit(user) -> str:
    """The 制表单位 of a workbook made for ``user`` (the 考核 results, the task list, a binder's
    index): the county commission for county staff, else the reader's own top org."""
    unit = settings.QINGDAN_REPORT_UNIT
    if unit:
        return unit
    from accounts.scope import scope_roots

    roots = scope_roots(user, "view") if user is not None else []
    if not roots or roots[0].depth == 1:
        return "县纪委监委"
    return roots[0].name


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
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.width
    ws.freeze_panes = f"{'B' if with_unit else 'A'}{head + 1}"
    ws.print_title_rows = f"{head}:{head}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True

    ws.append([_styled(ws, neutralise(title), font=TITLE_FONT, alignment=CENTER)])
    ws.row_dimensions[1].height = 28
    if with_unit:
        second = [_styled(ws, f"制表单位：{unit}")] + [None] * max(n - 2, 0)
        if n >= 2:
            second.append(_styled(ws, f"制表日期：{made_on:%Y-%m-%d}", alignment=RIGHT))
        ws.append(second)
    ws.append([_styled(ws, neutralise(c.header), font=HEADER_FONT, fill=HEADER_FILL, border=BORDER, alignment=HEADER_ALIGN) for c in cols])
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
            filled.append(_styled(ws, None, border=BORDER, number_format=FORMATS[c.kind]))
            empty.append(_styled(ws, None, border=BORDER))
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
                                 _styled(ws, None, border=BORDER, number_format=FORMATS[kind]))
                        cell = auto[(i, kind)] = _fixed(ws, proto) if reuse else proto
                else:
                    kind = cols[i].kind
                if reuse:
                    cell.value = _cell_value(v, kind)
                else:
                    cell = new(cell, _cell_value(v, kind))
                out.append(cell)
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
