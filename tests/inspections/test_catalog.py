"""Catalog clash: "The file is empty." has one Chinese translation in every catalog that
carries it (the project catalog in LOCALE_PATHS wins at run time, so a different msgstr
there silently replaced the apps' wording)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from inspections.services.files import check_upload
from tests.test_i18n import CATALOG_DIRS, _entries

MSGID = "The file is empty."


def test_one_translation_in_every_catalog():
    found = {}
    for folder in CATALOG_DIRS:
        po = Path(settings.BASE_DIR) / folder / "zh_Hans" / "LC_MESSAGES" / "django.po"
        for _flags, msgid, strs, block in _entries(po.read_text(encoding="utf-8")):
            if msgid == MSGID and "msgctxt" not in block:
                found[folder] = strs[0]
    assert "locale" in found
    assert set(found.values()) == {"文件为空。"}, found


def test_an_empty_upload_says_so_in_that_wording():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as e:
        check_upload(SimpleUploadedFile("空.pdf", b"", content_type="application/pdf"))
    assert e.value.messages[0] == "“空.pdf”是空文件（0 字节）。"
