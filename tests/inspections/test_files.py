"""Attachments of documents and talk records go through the one upload check
(accounts.uploads) with this use's size limit and kinds (documents, OFD, plain text)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections.services.files import check_upload

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip(parts: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


DOCX = _zip({"[Content_Types].xml": '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
                                    'wordprocessingml.document.main+xml"/></Types>', "word/document.xml": "<w/>"})


@pytest.mark.parametrize("name,content,kind", [
    ("a.pdf", b"%PDF-1.7 x", "pdf"),
    ("a.docx", DOCX, "docx"),
    ("记录.txt", "谈话记录".encode(), "txt"),
    ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "png"),
    ("a.doc", OLE + "WordDocument".encode("utf-16-le"), "doc"),
    ("公文.wps", OLE + "WordDocument".encode("utf-16-le"), "doc"),
    ("公文.ofd", _zip({"OFD.xml": "<ofd:OFD/>"}), "ofd"),
])
def test_accepted(name, content, kind):
    checked = check_upload(SimpleUploadedFile(name, content))
    assert checked.kind == kind and checked.name == name


@pytest.mark.parametrize("name,content,word", [
    ("a.exe", b"MZ\x90\x00", "不是允许的文件类型"),
    ("a.pdf", b"MZ\x90\x00 exe", "不是允许的文件类型"),
    ("a.pdf", b"", "空文件"),
    ("a.txt", b"\xff\xfe\x00\x00binary" * 10, "不是允许的文件类型"),
    ("a.docx", b"PK\x03\x04 not a zip", "不是允许的文件类型"),
    ("a.html", b"<html><script>alert(1)</script></html>", "不是允许的文件类型"),
])
def test_refused(name, content, word):
    with pytest.raises(ValidationError) as e:
        check_upload(SimpleUploadedFile(name, content))
    assert word in e.value.messages[0]
    if word == "不是允许的文件类型":
        assert "OFD" in e.value.messages[0] and "文本" in e.value.messages[0]


def test_too_large(settings):
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ValidationError) as e:
        check_upload(SimpleUploadedFile("a.pdf", b"%PDF" + b"x" * 20))
    assert "最多 10" in e.value.messages[0]
