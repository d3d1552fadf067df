"""The 考核结果 workbook (the table of ``assessment.results``), in the one workbook
style of qingdan (``reports.xlsx``:
title row, 制表单位 / 制表日期 row, styled header, frozen panes, autofilter,
widths, A4 landscape, numbers as numbers, formula neutraliser). This module only
says which columns and rows; it styles no cell itself."""

import io

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _, pgettext
from openpyxl import Workbook

from . import xlsx
from .xlsx import DATE, DEC, INT, TEXT, Column, Table


def _unit_column(width):
    return Column(pgettext("workbook column", "Organisation"), TEXT, width)


def title(year: int) -> str:
    return settings.COUNTY_NAME + _("%(year)s assessment results") % {"year": year}


def results_table(groups) -> Table:
    columns = [
        Column(_("Level"), TEXT, 10), Column(_("Town"), TEXT, 12), _unit_column(20),
        Column(_("Earned"), DEC, 9), Column(_("Maximum"), DEC, 9), Column(_("Base score"), DEC, 10),
        Column(_("Bonus"), DEC, 8), Column(_("Deduction"), DEC, 8), Column(_("Late measures"), DEC, 10),
        Column(_("Score"), DEC, 9), Column(_("Grade"), TEXT, 8), Column(_("Rank"), INT, 6), Column(_("Peers"), INT, 6),
        Column(_("One-vote veto"), TEXT, 10), Column(_("Formal talk (约谈)"), TEXT, 10),
    ]
    rows = []
    for g in groups:
        for row in g["rows"]:
            s = row["s"]
            rows.append([str(g["label"]), row["town"], row["org"].name, s.earned, s.maximum, s.base, s.bonus,
                         s.deduction, s.measure_deduction, s.score, str(row["grade_label"] or "—"), s.rank,
                         s.peers or None, _("Yes") if s.veto else "", _("Yes") if row["flagged"] else ""])
    return Table(columns, rows)


def risks_table(risks) -> Table:
    columns = [_unit_column(16), Column(_("Post"), TEXT, 12), Column(_("Risk point"), TEXT, 30),
               Column(_("Risk level"), TEXT, 8), Column(_("Controls"), TEXT, 30), Column(_("Owner"), TEXT, 10),
               Column(_("Last reviewed"), DATE, 12)]
    rows = [[rp.org.name, rp.post, rp.description, str(rp.get_level_display()), rp.controls, rp.owner, rp.reviewed_on]
            for rp in risks]
    return Table(columns, rows)


def assessment_workbook(year: int, groups, risks=(), *, user=None) -> bytes:
    """考核结果 (sheet 1) and the 廉政风险点 register of the reader's scope (sheet 2)."""
    unit, made_on, head = xlsx.report_unit(user), timezone.localdate(), title(year)
    wb = Workbook(write_only=True)
    xlsx.write_table(wb.create_sheet(_("Assessment results")[:31]), title=head, unit=unit, made_on=made_on,
                     table=results_table(groups))
    xlsx.write_table(wb.create_sheet(_("Integrity risks")[:31]), title=head, unit=unit, made_on=made_on,
                     table=risks_table(risks))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
