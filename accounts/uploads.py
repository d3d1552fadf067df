"""The one content check for uploaded files (evidence, inspection documents and talk
records, measure progress, assessment evidence): by size and by content, never by name.

``check_upload(uploaded, max_bytes=…, kinds=…)`` names the kind the content really is
and refuses everything else — an HTML page or an EXE renamed ``.jpg``, an empty file, a
file over the caller's size limit — with a clear message naming the file.

Kinds: PDF, JPEG, PNG; DOCX / XLSX (a zip whose ``[Content_Types].xml`` declares the
Word / Excel main part); OFD (a zip with ``OFD.xml`` at its root); DOC / XLS (an OLE
compound file holding a ``WordDocument`` / ``Workbook`` stream; WPS writes .wps files
the same way); and, where a caller allows it, plain UTF-8 text in a file named .txt
(text has no signature, so the name must say so). The user's filename is only ever
displayed, cleaned by ``display_name``; storage uses names of its own."""

import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _, gettext_lazy

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
CONTENT_TYPES_LIMIT = 256 * 1024  # bytes of [Content_Types].xml we are willing to read
TEXT_HEAD = 64 * 1024              # bytes of a .txt file that must be UTF-8 text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# kind → (content type, extensions the displayed name may keep (the first is the default), label)
KINDS = {
    "pdf": ("application/pdf", (".pdf",), "PDF"),
    "jpg": ("image/jpeg", (".jpg", ".jpeg"), "JPG"),
    "png": ("image/png", (".png",), "PNG"),
    "docx": (DOCX, (".docx",), "Word"),
    "xlsx": (XLSX, (".xlsx",), "Excel"),
    "doc": ("application/msword", (".doc", ".wps"), "Word"),
    "xls": ("application/vnd.ms-excel", (".xls", ".et"), "Excel"),
    "ofd": ("application/ofd", (".ofd",), "OFD"),
    "txt": ("text/plain; charset=utf-8", (".txt",), gettext_lazy("text (.txt)")),
}
DOCUMENTS = ("pdf", "jpg", "png", "docx", "xlsx", "doc", "xls")
DOCUMENTS_AND_OFD = DOCUMENTS + ("ofd",)
DOCUMENTS_OFD_AND_TEXT = DOCUMENTS_AND_OFD + ("txt",)


@dataclass(frozen=True)
class Checked:
    kind: str
    content_type: str
    name: str
    size: int
    sha256: str


def _zip_kind(f) -> str | None:
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as z:
            names = set(z.namelist())
            if "OFD.xml" in names:
                return "ofd"
            info = z.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_LIMIT:
                return None
            text = z.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, NotImplementedError, EOFError):
        return None
    if "wordprocessingml.document.main+xml" in text:
        return "docx"
    if "spreadsheetml.sheet.main+xml" in text:
        return "xlsx"
    return None


def _ole_kind(f) -> str | None:
    # The directory of a compound file names its streams in UTF-16LE; read the whole
    # (size-limited) file once and look for the Word / Excel stream names.
    f.seek(0)
    data = f.read()
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    return None


def _is_text(f) -> bool:
    f.seek(0)
    head = f.read(TEXT_HEAD + 1)
    cut = len(head) > TEXT_HEAD
    head = head[:TEXT_HEAD]
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        return cut and e.start >= len(head) - 3   # a multi-byte character cut at the end of the sample
    return True


def sniff(f, name: str = "", kinds=DOCUMENTS) -> str | None:
    """The allowed kind of the file's content, or None."""
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(ZIP_MAGIC):
        kind = _zip_kind(f)
    elif head.startswith(OLE_MAGIC):
        kind = _ole_kind(f)
    elif "txt" in kinds and name.lower().endswith(".txt") and _is_text(f):
        kind = "txt"
    f.seek(0)
    return kind if kind in kinds else None


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def display_name(name: str, kind: str) -> str:
    """The user's filename, made harmless for display and Content-Disposition (never a path),
    with an extension that fits the content."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    while ".." in name:
        name = name.replace("..", ".")
    base, ext = os.path.splitext(name)
    if not base:
        base = _("file")
    extensions = KINDS[kind][1]
    ext = ext.lower() if ext.lower() in extensions else extensions[0]
    return base[: 120 - len(ext)] + ext


def labels(kinds) -> str:
    return "、".join(dict.fromkeys(str(KINDS[k][2]) for k in kinds))


def check_upload(uploaded, *, max_bytes: int, kinds=DOCUMENTS) -> Checked:
    """Validate one uploaded file; raises ValidationError with a Chinese message."""
    raw_name = getattr(uploaded, "name", "") or ""
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, os.SEEK_END)
        size = uploaded.tell()
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty (0 bytes).") % {"name": raw_name[:60]}, code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s.")
            % {"name": raw_name[:60], "size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_big",
        )
    kind = sniff(uploaded, raw_name, kinds)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type. Accepted: %(kinds)s.")
            % {"name": raw_name[:60], "kinds": labels(kinds)},
            code="type",
        )
    h = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(65536), b""):
        h.update(chunk)
    uploaded.seek(0)
    return Checked(kind, KINDS[kind][0], display_name(raw_name, kind), size, h.hexdigest())


def file_sha256(field_file) -> str:
    h = hashlib.sha256()
    with field_file.open("rb") as f:
        for chunk in iter(lambda: f.read(65536), b""):
            h.update(chunk)
    return h.hexdigest()
