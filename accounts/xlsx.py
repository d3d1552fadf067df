"""Spreadsheets in and out: the one check every .xlsx import runs, the one reader,
and the one formula neutraliser every export uses.

``check_xlsx`` looks at the bytes before openpyxl does and reads a bounded amount
of them, whatever the file declares:

- not a zip / not an Office Open XML workbook (a .xls, .csv or .docx renamed
  .xlsx), macros, path tricks, too many parts;
- a zip bomb: parts that declare more than the uncompressed cap in total, or a
  suspicious compression ratio; inflation is counted while reading as well;
- XML that declares a DOCTYPE or an ENTITY anywhere in any part (not only near
  the start), or is not UTF-8;
- the first worksheet is streamed row by row: its declared ``<dimension>`` is
  ignored, reading stops at the first row past the row cap (blank rows count,
  since a row number is where a row is) and at the first cell past the column
  cap.

``read_rows`` takes the bytes or the uploaded file (refused unread when it is
over the size cap), runs the check, then lets openpyxl read exactly the rows and
columns the check has seen (never the declared dimension).

Imports call ``read_rows`` before they open a database transaction, so a hostile
file never holds a lock."""

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

MB = 1024 * 1024
MAX_PARTS = 500
MAX_RATIO = 200          # uncompressed / compressed, for parts above RATIO_FROM bytes
RATIO_FROM = MB
CHUNK = 64 * 1024
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_XML_NAMES = (".xml", ".rels", ".vml")
_REL_TYPE_SHEET = "/worksheet"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Refused(ValidationError):
    """A file the check refused, with what it read before deciding."""

    def __init__(self, message, *, inflated: int = 0, rows_seen: int = 0):
        super().__init__(message)
        self.inflated = inflated
        self.rows_seen = rows_seen


@dataclass
class Sheet:
    part: str
    rows: int = 0         # the last row number holding a <row> element
    columns: int = 0      # the last column holding a cell
    rows_seen: int = 0    # <row> elements read
    inflated: int = 0     # uncompressed bytes read by the whole check


def _not_excel():
    return _("This is not an Excel workbook (.xlsx). Save the file as .xlsx from Excel or WPS.")


def _unusual():
    return _("The file has an unusual structure and was refused.")


def _too_large(max_bytes):
    return _("The file is larger than %(mb)s MB.") % {"mb": max(1, max_bytes // MB)}


def _too_big():
    return _("The file expands to an unreasonable size and was refused.")


def _too_many_rows(n):
    return _("The sheet has more than %(n)s rows below the header (blank rows count too). "
             "Delete the rows below your data or split it into several files.") % {"n": n}


def _too_many_columns(n):
    return _("The sheet has more than %(n)s columns. Delete the columns you do not need.") % {"n": n}


class _Reader:
    """Inflates parts in chunks, counting every byte against the uncompressed cap."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.inflated = 0
        self.rows_seen = 0
        self.cap = settings.QINGDAN_IMPORT_MAX_UNCOMPRESSED_MB * MB

    def refuse(self, message):
        return Refused(message, inflated=self.inflated, rows_seen=self.rows_seen)

    def chunks(self, info):
        try:
            with self.zf.open(info) as fh:
                while chunk := fh.read(CHUNK):
                    self.inflated += len(chunk)
                    if self.inflated > self.cap:
                        raise self.refuse(_too_big())
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError):
            raise self.refuse(_not_excel()) from None

    def xml_chunks(self, info):
        """The part's bytes; refused on a DOCTYPE / ENTITY anywhere, or an encoding other than UTF-8."""
        tail, first = b"", True
        for chunk in self.chunks(info):
            if first:
                first = False
                if chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise self.refuse(_unusual())
                m = _ENCODING.match(chunk.removeprefix(b"\xef\xbb\xbf"))
                if m and m.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
                    raise self.refuse(_unusual())
            if b"\x00" in chunk:   # UTF-16/32 text would hide a declaration from the scan
                raise self.refuse(_unusual())
            if _DECLARATION.search(tail + chunk):
                raise self.refuse(_("The file contains XML declarations that are not accepted."))
            tail = chunk[-64:]
            yield chunk

    def xml_tree(self, info):
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        for chunk in self.xml_chunks(info):
            parser.feed(chunk)
        try:
            return parser.close()
        except etree.XMLSyntaxError:
            raise self.refuse(_not_excel()) from None


def _is_xml(zf: zipfile.ZipFile, info) -> bool:
    if info.filename.lower().endswith(_XML_NAMES):
        return True
    try:
        with zf.open(info) as fh:
            head = fh.read(64)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError):
        return False  # reading it as data refuses it with the right message
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _first_sheet_part(reader: _Reader, names: set[str]) -> str:
    workbook = reader.xml_tree(reader.zf.getinfo("xl/workbook.xml"))
    if "xl/_rels/workbook.xml.rels" not in names:
        raise reader.refuse(_not_excel())
    rels = reader.xml_tree(reader.zf.getinfo("xl/_rels/workbook.xml.rels"))
    targets = {
        r.get("Id"): r.get("Target", "") for r in rels.iter()
        if _local(r.tag) == "Relationship" and (r.get("Type") or "").endswith(_REL_TYPE_SHEET)
    }
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        target = targets.get(sheet.get(f"{{{_R_NS}}}id"))
        if target:
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if part in names:
                return part
    raise reader.refuse(_not_excel())


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _scan_sheet(reader: _Reader, part: str, *, row_limit: int, max_rows: int, col_limit: int) -> Sheet:
    """Stream the sheet XML: the last row number and column in use, refused past either cap."""
    sheet = Sheet(part)
    parser = etree.XMLPullParser(events=("start", "end"), tag=("{*}row", "{*}c"), resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False)
    row_number = 0
    position = 0
    for chunk in reader.xml_chunks(reader.zf.getinfo(part)):
        parser.feed(chunk)
        try:
            events = list(parser.read_events())
        except etree.XMLSyntaxError:
            raise reader.refuse(_not_excel()) from None
        for event, el in events:
            name = _local(el.tag)
            if event == "start" and name == "row":
                reader.rows_seen += 1
                r = el.get("r")
                try:
                    row_number = int(r) if r is not None else row_number + 1
                except ValueError:
                    raise reader.refuse(_unusual()) from None
                if row_number > row_limit:
                    raise reader.refuse(_too_many_rows(max_rows))
                sheet.rows = max(sheet.rows, row_number)
                position = 0
            elif event == "start" and name == "c":
                position += 1
                ref = el.get("r")
                if ref is not None:
                    m = _CELL_REF.match(ref)
                    if not m:
                        raise reader.refuse(_unusual())
                    position = _column_number(m.group(1))
                if position > col_limit:
                    raise reader.refuse(_too_many_columns(col_limit))
                sheet.columns = max(sheet.columns, position)
            elif event == "end" and name == "row":
                el.clear()
                while el.getprevious() is not None:
                    del el.getparent()[0]
    try:
        parser.close()
    except etree.XMLSyntaxError:
        raise reader.refuse(_not_excel()) from None
    sheet.rows_seen = reader.rows_seen
    return sheet


def check_xlsx(data: bytes, *, max_rows: int, header_rows: int = 1) -> Sheet:
    """Refuse a hostile or broken workbook with a clear message (``Refused``, a ValidationError).

    ``max_rows`` data rows may follow ``header_rows`` rows above them; the sheet
    may not hold a row numbered beyond their sum, blank or not."""
    max_bytes = settings.IMPORT_MAX_BYTES
    col_limit = settings.QINGDAN_IMPORT_MAX_COLUMNS
    if not data:
        raise Refused(_("The file is empty."))
    if len(data) > max_bytes:
        raise Refused(_too_large(max_bytes))
    if not data.startswith(b"PK\x03\x04"):
        raise Refused(_not_excel())
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refused(_not_excel()) from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise Refused(_not_excel())
    if len(infos) > MAX_PARTS or len(names) != len(infos):
        raise Refused(_unusual())
    declared = 0
    for info in infos:
        if info.filename.startswith(("/", "\\")) or ".." in info.filename.replace("\\", "/").split("/"):
            raise Refused(_unusual())
        if info.filename.lower().endswith("vbaproject.bin"):
            raise Refused(_("Files with macros are not accepted."))
        declared += info.file_size
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Refused(_too_big())
    if declared > settings.QINGDAN_IMPORT_MAX_UNCOMPRESSED_MB * MB:
        raise Refused(_too_big())
    reader = _Reader(zf)
    part = _first_sheet_part(reader, names)
    # the sheet first: a row or column past the cap stops the reading there
    sheet = _scan_sheet(reader, part, row_limit=max_rows + header_rows, max_rows=max_rows, col_limit=col_limit)
    done = {part, "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
    for info in infos:
        if info.is_dir() or info.filename in done:
            continue
        for _chunk in reader.xml_chunks(info) if _is_xml(zf, info) else reader.chunks(info):
            pass
    sheet.inflated = reader.inflated
    return sheet


def _upload_bytes(uploaded) -> bytes:
    """The content of an uploaded file, refused unread when it is larger than the cap."""
    max_bytes = settings.IMPORT_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise Refused(_too_large(max_bytes))
    uploaded.seek(0)
    return uploaded.read(max_bytes + 1)


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def read_rows(data, *, max_rows: int, header_rows: int = 1) -> list[tuple[int, tuple]]:
    """The first sheet's non-blank rows as (Excel row number, values), after ``check_xlsx``;
    ``data`` is the file's bytes or the uploaded file.

    Every tuple is as wide as the widest row the check saw."""
    if not isinstance(data, bytes):
        data = _upload_bytes(data)
    sheet = check_xlsx(data, max_rows=max_rows, header_rows=header_rows)
    if not sheet.rows or not sheet.columns:
        return []
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise Refused(_("The Excel file could not be read. Is it damaged?")) from None
    try:
        ws = wb.worksheets[0]
        rows = []
        for number, row in enumerate(ws.iter_rows(max_row=sheet.rows, max_col=sheet.columns, values_only=True), 1):
            if not all(_blank(v) for v in row):
                rows.append((number, tuple(row)))
        return rows
    except Exception:  # noqa: BLE001 - a cell openpyxl cannot convert
        raise Refused(_("The Excel file could not be read. Is it damaged?")) from None
    finally:
        wb.close()


def cell_text(value) -> str:
    """A cell as trimmed text: empty for no value, ``3`` (not ``3.0``) for a whole number."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_date(value) -> date | None:
    """A cell as a date: an Excel date, or text such as 2026-01-05, 2026/1/5, 2026.1.5 or
    2026年1月5日; None for an empty cell. Raises ValueError for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parts = cell_text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日").split("-")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(value)
    return date(*(int(p) for p in parts))


def neutralise(value):
    """Text a spreadsheet would read as a formula (= + - @, tab, CR) gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """The inverse on import: a value this app exported comes back as it was."""
    if text.startswith("'") and text[1:2] in FORMULA_START:
        return text[1:]
    return text
