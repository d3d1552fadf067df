"""The 考核结果 workbook. A minimal styled sheet of its own (title row, header
style, freeze, autofilter, widths, print setup, formula neutraliser) until
reports/xlsx.py exists — then this should call it."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

THIN = Side(style="thin", color="999999")


def safe(value):
    """Text that Excel/WPS would read as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _num(d):
    return None if d is None else float(d)


def assessment_workbook(year: int, groups, risks=()) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Assessment results")[:31]
    headers = [_("Level"), _("Town"), _("Organisation"), _("Earned"), _("Maximum"), _("Base score"), _("Bonus"),
               _("Deduction"), _("Late measures"), _("Score"), _("Grade"), _("Rank"), _("Peers"),
               _("One-vote veto"), _("Formal talk (约谈)")]
    title = _("%(year)s assessment results") % {"year": year}
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    fill = PatternFill("solid", fgColor="B22222")
    for col, h in enumerate(headers, 1):
        c = ws.cell(row=2, column=col, value=h)
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = fill
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    r = 3
    for g in groups:
        for row in g["rows"]:
            s = row["s"]
            values = [str(g["label"]), row["town"], row["org"].name, _num(s.earned), _num(s.maximum), _num(s.base),
                      _num(s.bonus), _num(s.deduction), _num(getattr(s, "measure_deduction", None)), _num(s.score),
                      str(row["grade_label"] or "—"), s.rank, getattr(s, "peers", None),
                      _("Yes") if s.veto else "", _("Yes") if row["flagged"] else ""]
            for col, v in enumerate(values, 1):
                c = ws.cell(row=r, column=col, value=safe(v))
                c.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
                if isinstance(v, float):
                    c.number_format = "0.00"
            r += 1
    widths = [10, 12, 20, 9, 9, 10, 8, 8, 10, 9, 8, 6, 6, 10, 10]
    for col, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = "D3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{max(r - 1, 2)}"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _risk_sheet(wb, risks)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _risk_sheet(wb, risks) -> None:
    ws = wb.create_sheet(_("Integrity risks")[:31])
    headers = [_("Organisation"), _("Post"), _("Risk point"), _("Risk level"), _("Controls"), _("Owner"), _("Last reviewed")]
    fill = PatternFill("solid", fgColor="B22222")
    for col, h in enumerate(headers, 1):
        c = ws.cell(row=1, column=col, value=h)
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = fill
        c.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    r = 2
    for rp in risks:
        values = [rp.org.name, rp.post, rp.description, str(rp.get_level_display()), rp.controls, rp.owner,
                  rp.reviewed_on.isoformat() if rp.reviewed_on else ""]
        for col, v in enumerate(values, 1):
            c = ws.cell(row=r, column=col, value=safe(v))
            c.alignment = Alignment(wrap_text=True, vertical="top")
            c.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
        r += 1
    for col, w in enumerate([16, 12, 30, 6, 30, 10, 11], 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:G{max(r - 1, 1)}"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
