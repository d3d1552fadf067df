"""Attachments of documents and talk records: checked by size, name and content (magic bytes)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import conf

ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
MAGIC = {
    ".pdf": (b"%PDF",), ".docx": (ZIP,), ".xlsx": (ZIP,), ".ofd": (ZIP,), ".doc": (OLE,), ".xls": (OLE,), ".wps": (OLE,),
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG",), ".txt": None,
}
ALLOWED = tuple(MAGIC)


def check_upload(uploaded):
    name = (getattr(uploaded, "name", "") or "").lower()
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."))
    if uploaded.size > conf.max_upload_bytes():
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": conf.max_upload_bytes() // (1024 * 1024)})
    ext = next((e for e in ALLOWED if name.endswith(e)), None)
    if ext is None:
        raise ValidationError(_("This file type is not accepted (PDF, Word, Excel, images, text)."))
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    magic = MAGIC[ext]
    if magic is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.start < len(head) - 4:  # a cut multi-byte character at the end is fine
                raise ValidationError(_("The file's content does not match its type.")) from None
    elif not any(head.startswith(m) for m in magic):
        raise ValidationError(_("The file's content does not match its type."))
