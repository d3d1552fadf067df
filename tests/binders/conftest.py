"""Real evidence files for binders: photos (one EXIF-rotated, one of ~20 MB), PDFs (good,
corrupt, encrypted), a Word file; duty-list tasks under two 清单."""

import io
import itertools
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from responsibilities.models import Checklist, ChecklistItem
from tasks import services
from tasks.models import Task
from tests.tasks.conftest import office_zip

_seq = itertools.count(1)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def photo(name="现场.jpg", size=(640, 480), orientation=None, colour=(200, 40, 40), quality=85, noise=False) -> SimpleUploadedFile:
    """A real JPEG; ``orientation`` sets the EXIF Orientation tag (6: turn 90° clockwise to view)."""
    im = Image.effect_noise(size, 90).convert("RGB") if noise else Image.new("RGB", size, colour)
    if not noise:
        im.paste((20, 20, 200), (0, 0, size[0] // 4, size[1] // 4))  # a blue corner: top-left as stored
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, exif=exif.tobytes())
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def png_file(name="截图.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (300, 200), (30, 160, 60)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def pdf_file(name="会议记录.pdf", pages=2, text="Meeting record") -> SimpleUploadedFile:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(pages):
        c.drawString(100, 700, f"{text} page {i + 1}")
        c.showPage()
    c.save()
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/pdf")


def encrypted_pdf(name="加密.pdf") -> SimpleUploadedFile:
    from pypdf import PdfReader

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_file(pages=1).read())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/pdf")


def corrupt_pdf(name="损坏.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf\n%%EOF",
                              content_type="application/pdf")


def docx_file(name="方案.docx") -> SimpleUploadedFile:
    return office_zip(name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")


def checklist(title, items, year=2026, bearer="discipline"):
    cl = Checklist.objects.create(year=year, level="village", bearer=bearer, title=title, status="published")
    return [ChecklistItem.objects.create(checklist=cl, seq=i, title=t, category="supervisory", frequency="Q")
            for i, t in enumerate(items, start=1)]


def duty_task(org, item, *, due, label, status_note=None, **extra) -> Task:
    ct = ContentType.objects.get_for_model(ChecklistItem)
    start = date(due.year, (due.month - 1) // 3 * 3 + 1, 1)
    return Task.objects.create(
        org=org, kind=Task.Kind.DUTY, source_type=ct, source_id=item.pk, period_start=start, period_end=due,
        period_label=label, due_date=due, original_due_date=due, title=item.title, requirement=f"{item.title}的工作要求",
        evidence_hint="会议记录、照片", bearer="discipline", review_org=org.get_parent(), **extra,
    )


@pytest.fixture
def village_year(county):
    """东村 (v11) in 2026: two 清单, five tasks in various states with real evidence."""
    a1, a2 = checklist("村纪检委员监督责任清单", ["开展廉政谈话", "监督村务公开"])
    (b1,) = checklist("村党组织主体责任清单", ["召开专题会议"], bearer="committee")
    v11, disc, reviewer = county.v11, county.v11_disc, county.t1_disc
    t1 = duty_task(v11, a1, due=date(2026, 3, 31), label="2026年第1季度")
    services.add_evidence(t1, disc, photo("谈话现场.jpg", orientation=6))
    services.add_evidence(t1, disc, pdf_file("谈话记录.pdf", pages=2))
    services.submit(t1, disc, note="与村两委成员逐一谈话，共5人。", version=t1.version)
    services.approve(t1, reviewer, "材料齐全")
    t2 = duty_task(v11, a1, due=date(2026, 6, 30), label="2026年第2季度")
    services.add_evidence(t2, disc, png_file())
    services.add_evidence(t2, disc, encrypted_pdf())
    services.add_evidence(t2, disc, corrupt_pdf())
    services.add_evidence(t2, disc, docx_file())
    services.submit(t2, disc, note="已谈话。", version=t2.version)
    services.return_task(t2, reviewer, "缺少签字页")
    t3 = duty_task(v11, a2, due=date(2026, 9, 30), label="2026年第3季度")
    tampered = services.add_evidence(t3, disc, photo("公开栏.jpg"))
    services.submit(t3, disc, note="村务公开栏已更新。", version=t3.version)
    with open(tampered.file.path, "r+b") as fh:  # the stored file changes after upload
        fh.seek(200)
        fh.write(b"tampered")
    t4 = duty_task(v11, b1, due=date(2026, 12, 31), label="2026年第4季度")
    t5 = duty_task(v11, a2, due=date(2025, 12, 31), label="2025年第4季度")  # another year: not in the binder
    return {"tasks": [t1, t2, t3, t4], "other_year": t5, "tampered": tampered}
