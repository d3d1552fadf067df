"""Evidence (台账) uploads: checked by content, never by name.

Allowed: PDF, JPEG, PNG, DOCX / XLSX (a zip whose ``[Content_Types].xml``
declares the Word / Excel main part), DOC / XLS (an OLE compound file holding a
``WordDocument`` / ``Workbook`` stream). Everything else — an HTML page or an
EXE renamed ``.jpg``, an empty file — is refused with a clear message.
The user's filename is only ever displayed; storage uses a random name
(``tasks.models.evidence_path``)."""

import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
CONTENT_TYPES_LIMIT = 256 * 1024  # bytes of [Content_Types].xml we are willing to read

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# kind → (content type, extension shown on download)
KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "jpg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
    "docx": (DOCX, ".docx"),
    "xlsx": (XLSX, ".xlsx"),
    "doc": ("application/msword", ".doc"),
    "xls": ("application/vnd.ms-excel", ".xls"),
}


@dataclass(frozen=True)
class Checked:
    kind: str
    content_type: str
    name: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


def _zip_kind(f) -> str | None:
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as z:
            info = z.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_LIMIT:
                return None
            text = z.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, NotImplementedError):
        return None
    if "wordprocessingml.document.main+xml" in text:
        return "docx"
    if "spreadsheetml.sheet.main+xml" in text:
        return "xlsx"
    return None


def _ole_kind(f) -> str | None:
    # The directory of a compound file names its streams in UTF-16LE; read the
    # whole (size-limited) file once and look for the Word / Excel stream names.
    f.seek(0)
    data = f.read()
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    return None


def sniff(f) -> str | None:
    """The allowed kind of the file's content, or None."""
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(f)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(f)
    return None


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def display_name(name: str, kind: str) -> str:
    """The user's filename, made harmless for display and Content-Disposition (never a path)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    while ".." in name:
        name = name.replace("..", ".")
    base, ext = os.path.splitext(name)
    if not base:
        base = _("file")
    ext = ext.lower() if ext.lower() in {e for _t, e in KINDS.values()} | {".jpeg"} else KINDS[kind][1]
    return base[: 120 - len(ext)] + ext


def check_upload(uploaded) -> Checked:
    """Validate one uploaded file; raises ValidationError with a Chinese message."""
    raw_name = getattr(uploaded, "name", "") or ""
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, os.SEEK_END)
        size = uploaded.tell()
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty (0 bytes).") % {"name": raw_name[:60]}, code="empty")
    if size > max_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s.")
            % {"name": raw_name[:60], "size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
            code="too_big",
        )
    kind = sniff(uploaded)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not an accepted file type. Upload PDF, JPG, PNG, Word or Excel files.")
            % {"name": raw_name[:60]},
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
