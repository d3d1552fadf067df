import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections.services.files import check_upload


@pytest.mark.parametrize("name,content", [("a.pdf", b"%PDF-1.7 x"), ("a.docx", b"PK\x03\x04 zip"), ("记录.txt", "谈话记录".encode()),
                                          ("a.png", b"\x89PNG\r\n"), ("a.doc", b"\xd0\xcf\x11\xe0 ole")])
def test_accepted(name, content):
    check_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize("name,content,word", [("a.exe", b"MZ", "类型"), ("a.pdf", b"MZ\x90\x00 exe", "内容"), ("a.pdf", b"", "空"),
                                               ("a.txt", b"\xff\xfe\x00\x00binary" * 10, "内容")])
def test_refused(name, content, word, settings):
    with pytest.raises(ValidationError) as e:
        check_upload(SimpleUploadedFile(name, content))
    assert word in e.value.messages[0]


def test_too_large(settings):
    settings.QINGDAN_INSPECTIONS_MAX_UPLOAD = 10
    with pytest.raises(ValidationError) as e:
        check_upload(SimpleUploadedFile("a.pdf", b"%PDF" + b"x" * 20))
    assert "MB" in e.value.messages[0]
