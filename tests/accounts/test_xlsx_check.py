"""The one .xlsx check (accounts.xlsx) against hostile workbooks built here by hand
(zipfile + hand-written XML): every import refuses them with a clear Chinese message,
reads a bounded number of bytes and rows, writes nothing, and opens no transaction."""

import functools
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Membership, OrgUnit, User
from accounts.xlsx import Refused, check_xlsx, read_rows
from inspections.models import Finding
from responsibilities.models import ChecklistItem
from tests.county import make_user
from tests.inspections.conftest import make_inspection
from tests.responsibilities.conftest import make_list

pytestmark = pytest.mark.django_db

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{R}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
HEADER = ["序号", "单位", "问题类别", "问题描述"]


def _cell(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(rows_xml: str, dimension: str = "A1:D2") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
            f"<sheetData>{rows_xml}</sheetData></worksheet>").encode()


def header_row() -> str:
    return '<row r="1">' + "".join(_cell(f"{chr(65 + i)}1", h) for i, h in enumerate(HEADER)) + "</row>"


def workbook(sheet_xml: bytes, **extra: bytes) -> bytes:
    parts = {"[Content_Types].xml": CONTENT_TYPES.encode(), "_rels/.rels": ROOT_RELS.encode(),
             "xl/workbook.xml": WORKBOOK.encode(), "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.encode(),
             "xl/worksheets/sheet1.xml": sheet_xml, **extra}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


# --- the hostile files -------------------------------------------------------------------

@functools.cache
def dimension_bomb() -> bytes:
    """Declares the whole sheet and puts one cell in the last row (1.7 KB on disk)."""
    return workbook(sheet(header_row() + '<row r="1048576">' + _cell("A1048576", "x") + "</row>",
                          dimension="A1:XFD1048576"))


@functools.cache
def blank_rows() -> bytes:
    """A header, then 1,048,575 blank rows."""
    rows = "".join(f'<row r="{n}"/>' for n in range(2, 1_048_577))
    return workbook(sheet(header_row() + rows, dimension=f"A1:D{1_048_576}"))


@functools.cache
def wide_row() -> bytes:
    """16,384 columns: a header row that fills every column up to XFD."""
    from openpyxl.utils import get_column_letter

    cells = "".join(f'<c r="{get_column_letter(i)}1"><v>{i}</v></c>' for i in range(1, 16385))
    return workbook(sheet(f'<row r="1">{cells}</row>', dimension="A1:XFD1"))


def late_doctype(part: str) -> bytes:
    """A DOCTYPE (billion laughs) after a 6 KB comment, in ``part``."""
    doctype = ('<?xml version="1.0" encoding="UTF-8"?><!--' + "x" * 6 * 1024 + '-->'
               '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')
    if part == "xl/worksheets/sheet1.xml":
        return workbook((doctype + f'<worksheet xmlns="{MAIN}"><sheetData>{header_row()}</sheetData></worksheet>').encode())
    if part == "xl/workbook.xml":
        data = workbook(sheet(header_row()))
        return _replace(data, part, (doctype + WORKBOOK.split("?>", 1)[1]).encode())
    return workbook(sheet(header_row()), **{part: (doctype + f'<sst xmlns="{MAIN}"/>').encode()})


def _replace(data: bytes, name: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, content if info.filename == name else src.read(info.filename))
    return buf.getvalue()


GIB = 1 << 30
_ZEROS = bytes(1 << 20)


@functools.cache
def _deflated_zeros_gib() -> tuple[bytes, int]:
    """A raw deflate stream of 1 GiB of zeros (about 1 MB) and its CRC-32, built from one
    compressed MiB repeated (a full flush makes every block independent)."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    block = c.compress(_ZEROS) + c.flush(zlib.Z_FULL_FLUSH)
    stream = block * 1024 + c.flush()
    crc = 0
    for _i in range(1024):
        crc = zlib.crc32(_ZEROS, crc)
    return stream, crc


def _raw_zip(entries) -> bytes:
    """A zip written by hand: entries are (name, method, compressed bytes, crc, declared size)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, method, payload, crc, size in entries:
        offset = out.tell()
        fname = name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(payload), size, len(fname), 0))
        out.write(fname + payload)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, len(payload), size,
                                  len(fname), 0, 0, 0, 0, 0, offset))
        central.write(fname)
    start, cd = out.tell(), central.getvalue()
    out.write(cd)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(cd), start, 0))
    return out.getvalue()


def _small(name, data: bytes):
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return (name, 8, c.compress(data) + c.flush(), zlib.crc32(data), len(data))


def _base_entries():
    return [_small("[Content_Types].xml", CONTENT_TYPES.encode()), _small("_rels/.rels", ROOT_RELS.encode()),
            _small("xl/workbook.xml", WORKBOOK.encode()), _small("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.encode()),
            _small("xl/worksheets/sheet1.xml", sheet(header_row()))]


@functools.cache
def gib_part() -> bytes:
    """An honest zip whose sheet part inflates to 1 GiB of zeros (about 1 MB compressed)."""
    stream, crc = _deflated_zeros_gib()
    entries = [e for e in _base_entries() if e[0] != "xl/worksheets/sheet1.xml"]
    return _raw_zip(entries + [("xl/worksheets/sheet1.xml", 8, stream, crc, GIB)])


def gib_part_declared_small() -> bytes:
    """The same 1 GiB stream in a part that lies: it declares 2 KB."""
    stream, crc = _deflated_zeros_gib()
    return _raw_zip(_base_entries() + [("xl/media/image1.png", 8, stream, crc, 2048)])


# --- the check itself: refused, and what it read ----------------------------------------

def test_a_good_hand_written_workbook_is_read():
    data = workbook(sheet(header_row() + '<row r="3">' + _cell("B3", "东村") + _cell("D3", "问题") + "</row>"))
    assert read_rows(data, max_rows=10) == [(1, tuple(HEADER)), (3, (None, "东村", None, "问题"))]


def test_dimension_bomb_is_refused_after_one_row():
    data = dimension_bomb()
    assert len(data) < 2048
    with pytest.raises(Refused) as e:
        check_xlsx(data, max_rows=20000)
    assert "超过 20000 行" in e.value.messages[0] and "空行" in e.value.messages[0]
    assert e.value.rows_seen == 2            # the header and the bomb row, nothing filled in between
    assert e.value.inflated < 4096          # the workbook parts and the sheet's first bytes


def test_a_million_blank_rows_stop_at_the_cap():
    data = blank_rows()
    with pytest.raises(Refused) as e:
        check_xlsx(data, max_rows=20000)
    assert "超过 20000 行" in e.value.messages[0]
    assert e.value.rows_seen == 20002        # header + 20,000 blank rows + the one that crosses the cap
    sheet_size = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size
    assert sheet_size > 15_000_000 and e.value.inflated < sheet_size / 20


def test_sixteen_thousand_columns_stop_at_the_column_cap(settings):
    settings.QINGDAN_IMPORT_MAX_COLUMNS = 100
    with pytest.raises(Refused) as e:
        check_xlsx(wide_row(), max_rows=20000)
    assert "超过 100 列" in e.value.messages[0]
    assert e.value.inflated < 64 * 1024 + 4096   # the first chunk of the sheet, not its 400 KB


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml",
                                  "docProps/custom.xml"])
def test_doctype_after_a_long_comment_is_found_in_any_part(part):
    with pytest.raises(Refused) as e:
        check_xlsx(late_doctype(part), max_rows=20000)
    assert "XML 声明" in e.value.messages[0]


def test_doctype_in_utf16_is_refused():
    text = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>'
            f'<sst xmlns="{MAIN}"/>').encode("utf-16")
    with pytest.raises(Refused) as e:
        check_xlsx(workbook(sheet(header_row()), **{"xl/sharedStrings.xml": text}), max_rows=10)
    assert "结构异常" in e.value.messages[0]


def test_a_gib_part_is_refused_before_inflating_anything():
    data = gib_part()
    assert len(data) < 1_200_000
    with pytest.raises(Refused) as e:
        check_xlsx(data, max_rows=20000)
    assert "解压后过大" in e.value.messages[0] and e.value.inflated == 0


def test_a_gib_part_that_declares_less_inflates_no_more_than_it_declares():
    with pytest.raises(Refused) as e:
        check_xlsx(gib_part_declared_small(), max_rows=20000)
    assert "Excel" in e.value.messages[0]
    assert e.value.inflated < 64 * 1024


# --- every import's real entry ----------------------------------------------------------

HOSTILE = {
    "dimension bomb": (dimension_bomb, "行"),
    "1M blank rows": (blank_rows, "行"),
    "16384 columns": (wide_row, "列"),
    "late DOCTYPE": (lambda: late_doctype("xl/sharedStrings.xml"), "XML 声明"),
    "1 GiB part": (gib_part, "解压后过大"),
}


@pytest.fixture(scope="module")
def hostile_files():
    return {name: (build(), word) for name, (build, word) in HOSTILE.items()}


def _state():
    return (OrgUnit.objects.count(), User.objects.count(), Membership.objects.count(), ChecklistItem.objects.count(),
            Finding.objects.count(), AuditEvent.objects.exclude(action__startswith="auth.").count())


def _entries(county, admin):
    User.objects.filter(pk=admin.pk).update(must_change_password=False, password_changed_at=timezone.now())
    checklist = make_list("village", items=[{}])
    inspection = make_inspection(county, make_user("xc_leader", "巡察组长"), [])
    return {
        "org tree": (reverse("accounts:import"), {"kind": "orgs"}, admin),
        "accounts": (reverse("accounts:import"), {"kind": "accounts"}, admin),
        "duty list": (reverse("responsibilities:import", args=[checklist.pk]), {}, county.staff),
        "findings": (reverse("inspections:finding_import", args=[inspection.pk]), {}, county.staff),
    }


@pytest.mark.parametrize("name", HOSTILE)
def test_every_import_refuses_the_file_writes_nothing_and_opens_no_transaction(county, admin_user, client,
                                                                               hostile_files, name):
    data, word = hostile_files[name]
    entries = _entries(county, admin_user)
    before = _state()
    for entry, (url, fields, user) in entries.items():
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            r = client.post(url, {**fields, "file": SimpleUploadedFile("导入.xlsx", data)})
        assert r.status_code == 400, entry
        assert word in r.content.decode(), (entry, r.content.decode()[-2000:])
        assert not [q["sql"] for q in queries if "SAVEPOINT" in q["sql"].upper()], entry
    assert _state() == before


def test_a_good_import_is_seen_opening_its_transaction(county, client):
    """The control for the SAVEPOINT assertion above: a good file is written in a transaction."""
    inspection = make_inspection(county, make_user("xc_leader", "巡察组长"), [])
    from inspections.models import FindingCategory

    category = FindingCategory.objects.filter(is_active=True).first()
    rows = '<row r="2">' + _cell("A2", "1") + _cell("B2", county.town1.name) + _cell("C2", category.name) + _cell("D2", "问题") + "</row>"
    client.force_login(county.staff)
    with CaptureQueriesContext(connection) as queries:
        r = client.post(reverse("inspections:finding_import", args=[inspection.pk]),
                        {"file": SimpleUploadedFile("导入.xlsx", workbook(sheet(header_row() + rows)))})
    assert r.status_code == 302 and Finding.objects.filter(inspection=inspection).count() == 1
    assert any("SAVEPOINT" in q["sql"].upper() for q in queries)
