"""Reading an uploaded .xlsx safely (security.md XL-1), for every importer in qingdan.

``check_xlsx`` looks at the bytes before openpyxl does: not a zip / not an Office
Open XML workbook (e.g. a .xls, .csv or .docx renamed .xlsx), macros, path tricks,
too many parts, a zip bomb, XML with DOCTYPE/ENTITY. ``read_sheet`` returns the
first sheet's rows (Excel row numbers kept) and stops early past ``max_rows``.
"""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PARTS = 500
MAX_UNCOMPRESSED = 80 * 1024 * 1024
MAX_RATIO = 200
SNIFF_BYTES = 4096


def check_xlsx(data: bytes, *, max_bytes: int) -> None:
    not_excel = ValidationError(_("This is not an Excel workbook (.xlsx). Save the file as .xlsx from Excel or WPS."))
    if not data:
        raise ValidationError(_("The file is empty."))
    if len(data) > max_bytes:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": max(1, max_bytes // (1024 * 1024))})
    if not data.startswith(b"PK\x03\x04"):
        raise not_excel
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_excel from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_excel
    refused = ValidationError(_("The file has an unusual structure and was refused."))
    if len(infos) > MAX_PARTS:
        raise refused
    total = 0
    for info in infos:
        if info.filename.startswith(("/", "\\")) or ".." in info.filename.split("/"):
            raise refused
        if info.filename.lower().endswith("vbaproject.bin"):
            raise ValidationError(_("Files with macros are not accepted."))
        total += info.file_size
        if info.compress_size and info.file_size > 1024 * 1024 and info.file_size / info.compress_size > MAX_RATIO:
            raise refused
    if total > MAX_UNCOMPRESSED:
        raise refused
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with zf.open(info) as fh:
                head = fh.read(SNIFF_BYTES).upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise refused


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def read_sheet(data: bytes, *, max_rows: int) -> tuple[list, list[tuple[int, tuple]]]:
    """(header cells, [(Excel row number, values)]) of the first sheet.

    Trailing blank rows are dropped; blank rows between data rows are kept (the
    caller reports them). More than ``max_rows`` data rows → ValidationError."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(_("The Excel file could not be read. Is it damaged?")) from None
    try:
        ws = wb.worksheets[0]
        header, rows, pending_blank = None, [], []
        for number, row in enumerate(ws.iter_rows(values_only=True), 1):
            if header is None:
                if all(_blank(v) for v in row):
                    continue
                header = list(row)
                continue
            if all(_blank(v) for v in row):
                pending_blank.append((number, row))
                continue
            rows.extend(pending_blank)
            pending_blank = []
            rows.append((number, row))
            if len(rows) > max_rows:
                raise ValidationError(
                    _("The file has more than %(n)s data rows. Split it into several files.") % {"n": max_rows}
                )
        return header or [], rows
    finally:
        wb.close()
