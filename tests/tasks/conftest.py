import io
import itertools
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import OrgUnit
from tasks.models import Task

SH = ZoneInfo("Asia/Shanghai")
_seq = itertools.count(1)


def at(*args):
    return datetime(*args, tzinfo=SH)


def make_task(org, *, review_org=None, due=None, title="开展廉政谈话", assignee=None, bearer="discipline", **extra) -> Task:
    """A task of ``org`` reviewed by its parent (the town for a village, the county for a town).

    Unless given, its period is the year it is issued in (today's, by the clock the test reads),
    stretched to hold its due date: a task due early next year (in late December) has begun,
    so 我的任务 shows it, and a task due last year is not in a period yet to come."""
    today = timezone.localdate()
    due = due or today + timedelta(days=20)
    if review_org is None:
        review_org = org.get_parent() or org
    first, last = min(today, due), max(today, due)
    extra.setdefault("period_start", date(first.year, 1, 1))
    extra.setdefault("period_end", date(last.year, 12, 31))
    extra.setdefault("period_label", f"{first.year}年")
    n = next(_seq)
    return Task.objects.create(
        org=org, source_type=ContentType.objects.get_for_model(OrgUnit), source_id=100000 + n,
        due_date=due, original_due_date=due, title=f"{title}{n}", evidence_hint="谈话记录", bearer=bearer,
        review_org=review_org, assignee=assignee, **extra,
    )


@pytest.fixture
def task(county):
    return make_task(county.v11)


def jpeg(name="photo.jpg", size=2000) -> SimpleUploadedFile:
    body = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * max(0, size - 14) + b"\xff\xd9"
    return SimpleUploadedFile(name, body, content_type="image/jpeg")


def png(name="scan.png"):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, content_type="image/png")


def pdf(name="记录.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf")


def office_zip(name, main):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", f'<?xml version="1.0"?><Types><Override PartName="/x" ContentType="{main}"/></Types>')
        z.writestr("word/document.xml", "<w/>")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/octet-stream")


def ole(name, stream):
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + stream.encode("utf-16-le") + b"\x00" * 100
    return SimpleUploadedFile(name, body, content_type="application/octet-stream")


def photo(name="现场照片.jpg", size=(800, 400), orientation=None, colour=(180, 40, 40)) -> SimpleUploadedFile:
    """A real, decodable JPEG (Pillow), optionally with an EXIF orientation tag."""
    from PIL import Image

    img = Image.new("RGB", size, colour)
    img.paste((20, 20, 200), (0, 0, size[0] // 4, size[1] // 4))  # a corner marker (top left)
    out = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        img.save(out, "JPEG", exif=exif.tobytes())
    else:
        img.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def readable_pdf(name="谈话记录.pdf") -> SimpleUploadedFile:
    """A one-page PDF a browser's viewer can draw (the ``pdf()`` above is only a valid header)."""
    stream = b"BT /F1 24 Tf 50 100 Td (Hello PDF) Tj ET"
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
            b"4 0 obj<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream endobj\n"
            b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF")
    return SimpleUploadedFile(name, body, content_type="application/pdf")
