"""Content checks for an uploaded .xlsx before openpyxl opens it (security.md XL-1).

Small on purpose: accounts has no reusable checker yet (no accounts/imports.py
when this was written); if one appears, this module can delegate to it.

Refused: not a zip / not an Office Open XML workbook, macros, too many parts,
path tricks, a zip bomb (total uncompressed size or compression ratio), XML
with a DOCTYPE or ENTITY declaration (billion laughs — openpyxl also uses
defusedxml when installed), and more rows than allowed."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PARTS = 500
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 200
SNIFF_BYTES = 4096


def check_xlsx(data: bytes, *, max_bytes: int) -> None:
    if not data:
        raise ValidationError(_("The file is empty."))
    if len(data) > max_bytes:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024) or 1})
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationError(_("This is not an Excel (.xlsx) file."))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(_("This is not an Excel (.xlsx) file.")) from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ValidationError(_("This is not an Excel (.xlsx) file."))
    if len(infos) > MAX_PARTS:
        raise ValidationError(_("The file has an unusual structure and was refused."))
    total = 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in name.split("/"):
            raise ValidationError(_("The file has an unusual structure and was refused."))
        if name.lower().endswith("vbaproject.bin"):
            raise ValidationError(_("Files with macros are not accepted."))
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024 * 1024:
            raise ValidationError(_("The file expands to an unreasonable size and was refused."))
    if total > MAX_UNCOMPRESSED:
        raise ValidationError(_("The file expands to an unreasonable size and was refused."))
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with zf.open(info) as fh:
                head = fh.read(SNIFF_BYTES).upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise ValidationError(_("The file contains XML declarations that are not accepted."))


def read_rows(data: bytes, *, max_rows: int) -> list[tuple[int, tuple]]:
    """The first sheet's rows as (Excel row number, values); blank rows dropped."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(_("The Excel file could not be read.")) from None
    try:
        ws = wb.worksheets[0]
        rows = []
        for number, row in enumerate(ws.iter_rows(values_only=True), 1):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            rows.append((number, row))
            if len(rows) > max_rows + 1:
                raise ValidationError(_("The file has more than %(n)s rows.") % {"n": max_rows})
        return rows
    finally:
        wb.close()
