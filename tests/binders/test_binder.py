"""A binder checked against the database: its pages and contents, the zip and its index,
what was left out and why, an org with no tasks, a town's subtree, replacement."""

import hashlib
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import AuditEvent
from binders import services
from binders.models import Binder
from tasks.models import Evidence, Task

pytestmark = pytest.mark.django_db


def make(user, org, run, **kwargs) -> Binder:
    with run(execute=True):
        binder = services.request_binder(user, org, year=kwargs.pop("year", 2026), **kwargs)
    binder.refresh_from_db()
    assert binder.status == Binder.Status.DONE, binder.error
    return binder


def page_texts(path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(path).pages]


def toc_entries(texts) -> list[tuple[str, str, int]]:
    """(事项 · 期次, status, page) from the contents page(s): each entry's cells are three lines."""
    out = []
    for text in texts[1:]:
        lines = [ln.strip() for ln in text.split("未纳入或未嵌入的材料")[0].splitlines()]
        for i, line in enumerate(lines[:-2]):
            if re.match(r"^\d+\. .+ · \S+$", line) and lines[i + 2].isdigit():
                out.append((line, lines[i + 1], int(lines[i + 2])))
        if "目录" not in text or "未纳入或未嵌入的材料" in text:
            break
    return out


def extra_pages(task) -> int:
    """The pages a task's evidence adds, from the database: one per live image whose stored
    file still matches its sha256, a PDF's own pages when it can be read and is not encrypted."""
    n = 0
    for ev in Evidence.objects.filter(task=task, removed_at__isnull=True):
        data = open(ev.file.path, "rb").read()
        if hashlib.sha256(data).hexdigest() != ev.sha256:
            continue
        if ev.content_type.startswith("image/"):
            n += 1
        elif ev.content_type == "application/pdf":
            try:
                reader = PdfReader(io.BytesIO(data))
                n += 0 if reader.is_encrypted else len(reader.pages)
            except Exception:  # noqa: BLE001
                pass
    return n


def test_pages_and_contents_match_the_database(county, village_year, django_capture_on_commit_callbacks):
    binder = make(county.v11_disc, county.v11, django_capture_on_commit_callbacks)
    texts = page_texts(binder.pdf.path)
    assert "东村" in texts[0] and "2026年度台账" in texts[0] and "制表单位" in texts[0] and "制表日期：2026年11月18日" in texts[0]
    entries = toc_entries(texts)
    tasks = list(Task.objects.filter(org=county.v11, due_date__year=2026).exclude(status="cancelled"))
    assert len(entries) == len(tasks) == 4
    assert {e[0].split(" · ")[-1] for e in entries} == {t.period_label for t in tasks}
    assert village_year["other_year"].period_label not in "".join(texts[:2])
    for c in ("清单：村纪检委员监督责任清单", "清单：村党组织主体责任清单"):
        assert c in texts[1]
    by_label = {(t.title, t.period_label): t for t in tasks}
    expected_next = entries[0][2]
    assert expected_next == 3  # cover, one contents page
    for line, status, page in sorted(entries, key=lambda e: e[2]):
        item, period = line.split(" · ")
        task = by_label[(item.split(". ", 1)[1], period)]
        assert page == expected_next, line
        assert item in texts[page - 1] and period in texts[page - 1] and f"第 {page} 页" in texts[page - 1]
        assert status == task.get_status_display()
        expected_next = page + 1 + extra_pages(task)
    assert len(texts) == binder.pages == expected_next - 1
    # the record on the task page
    t1 = village_year["tasks"][0]
    page = texts[next(p for line, _s, p in entries if line.endswith(t1.period_label) and "廉政" in line) - 1]
    assert "与村两委成员逐一谈话" in page and "通过" in page and "材料齐全" in page
    assert AuditEvent.objects.filter(action="binders.generated", object_id=str(county.v11.pk)).count() == 1


def test_left_out_is_reported_and_never_silently_included(county, village_year, django_capture_on_commit_callbacks, client):
    binder = make(county.v11_disc, county.v11, django_capture_on_commit_callbacks)
    reasons = {row["file"]: row["reason"] for row in binder.left_out}
    assert set(reasons) == {"加密.pdf", "损坏.pdf", "公开栏.jpg"}
    assert "加密" in reasons["加密.pdf"] and "损坏" in reasons["损坏.pdf"] and "校验值不符" in reasons["公开栏.jpg"]
    text = "".join(page_texts(binder.pdf.path))
    assert "未纳入或未嵌入的材料" in text and "方案.docx" in text  # a Word file is listed with its sha256
    docx = Evidence.objects.get(original_name="方案.docx")
    assert docx.sha256[:16] in text.replace("\n", "")
    # the tampered photo is neither a page of the PDF nor a file of the zip
    with zipfile.ZipFile(binder.archive.path) as z:
        assert not any(n.endswith("公开栏.jpg") for n in z.namelist())
    client.force_login(county.v11_disc)
    page = client.get(f"/binders/{binder.pk}/").content.decode()
    assert "校验值不符" in page and "PDF 已加密" in page


def test_zip_index_matches_its_files_and_every_sha256(county, village_year, django_capture_on_commit_callbacks):
    binder = make(county.v11_disc, county.v11, django_capture_on_commit_callbacks)
    with zipfile.ZipFile(binder.archive.path) as z:
        names = set(z.namelist())
        rows = list(load_workbook(io.BytesIO(z.read("index.xlsx"))).active.iter_rows(min_row=4, values_only=True))
        evidence = {e.original_name: e for e in Evidence.objects.filter(task__org=county.v11, task__due_date__year=2026)}
        assert len(rows) == len(evidence) == 7
        in_zip = [r for r in rows if r[7]]
        assert len(in_zip) == binder.files_included == 6
        for r in rows:
            ev = evidence[r[6]]
            assert r[5] == ev.task_id
            assert r[9] == ev.sha256 and r[8] == ev.size
            if r[7]:
                assert r[7] in names
                assert hashlib.sha256(z.read(r[7])).hexdigest() == ev.sha256
                assert r[7].startswith("T1-V1 东村/") and r[7].count("/") == 4  # org/清单/事项/期次/file
            else:
                assert r[10] == "未纳入" and "校验值不符" in r[11]
        pdfs = [n for n in names if n.endswith("台账.pdf")]
        assert pdfs == ["T1-V1 东村/东村2026年度台账.pdf"]
        assert z.read(pdfs[0]) == open(binder.pdf.path, "rb").read()
        assert names == {r[7] for r in in_zip} | {"index.xlsx", pdfs[0]}


def test_exif_rotation_is_applied(county, village_year, django_capture_on_commit_callbacks):
    binder = make(county.v11_disc, county.v11, django_capture_on_commit_callbacks)
    reader = PdfReader(binder.pdf.path)
    sizes = [img.image.size for page in reader.pages for img in page.images]
    # the 640×480 photo tagged Orientation 6 is embedded upright (portrait); the PNG as it is
    assert (480, 640) in sizes and (300, 200) in sizes


def test_an_org_with_no_tasks(county, django_capture_on_commit_callbacks):
    binder = make(county.t1_disc, county.v12, django_capture_on_commit_callbacks)
    assert binder.pages == 2 and binder.files_included == 0
    assert binder.left_out == [{"org": "西村", "task": "", "file": "", "reason": "该单位本期没有任务"}]
    assert "本期没有任务" in page_texts(binder.pdf.path)[1]


def test_a_town_asks_for_each_of_its_villages(county, village_year, django_capture_on_commit_callbacks):
    binder = make(county.t1_disc, county.town1, django_capture_on_commit_callbacks, subtree=True)
    assert not binder.pdf and binder.archive
    with zipfile.ZipFile(binder.archive.path) as z:
        pdfs = sorted(n for n in z.namelist() if n.endswith(".pdf") and "台账" in n.rsplit("/", 1)[-1])
        assert pdfs == ["T1 城关镇/城关镇2026年度台账.pdf", "T1-V1 东村/东村2026年度台账.pdf", "T1-V2 西村/西村2026年度台账.pdf"]
        assert len(PdfReader(io.BytesIO(z.read(pdfs[1]))).pages) == 10
    assert Binder.objects.count() == 1


def test_a_quarter(county, village_year, django_capture_on_commit_callbacks):
    binder = make(county.v11_disc, county.v11, django_capture_on_commit_callbacks, quarter=1)
    entries = toc_entries(page_texts(binder.pdf.path))
    assert [e[0] for e in entries] == ["1. 开展廉政谈话 · 2026年第1季度"]
    assert binder.pages == 2 + 1 + 1 + 2


def test_the_next_binder_replaces_the_last(county, village_year, django_capture_on_commit_callbacks):
    first = make(county.v11_disc, county.v11, django_capture_on_commit_callbacks)
    old_files = [first.pdf.path, first.archive.path]
    second = make(county.v11_clerk, county.v11, django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.status == Binder.Status.REPLACED and not first.pdf and not first.archive
    import os

    assert not any(os.path.exists(p) for p in old_files)
    assert second.status == Binder.Status.DONE and os.path.exists(second.pdf.path)


def test_a_twenty_megabyte_photo(county, django_capture_on_commit_callbacks, settings):
    from tasks import services as task_services
    from tests.binders.conftest import photo
    from tests.tasks.conftest import make_task

    task = make_task(county.v11, title="现场检查")
    big = photo("大照片.jpg", size=(5000, 3800), noise=True, quality=92)
    assert 15 * 2**20 < big.size <= settings.EVIDENCE_MAX_BYTES, big.size
    task_services.add_evidence(task, county.v11_disc, big)
    binder = make(county.v11_disc, county.v11, django_capture_on_commit_callbacks)
    reader = PdfReader(binder.pdf.path)
    (image,) = [img for page in reader.pages for img in page.images]
    assert max(image.image.size) == 1600  # downscaled for the page
    assert binder.pdf.size < 3 * 2**20 and binder.left_out == []


def test_a_thousand_files_in_a_year(county, django_capture_on_commit_callbacks):
    """1,000 evidence rows over 50 tasks (stored files shared between rows, as the bench does):
    every one is in the zip and the index, every image a page, the job reports nothing left out."""
    from datetime import date

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tests.binders.conftest import docx_file, png_file
    from tests.tasks.conftest import make_task

    files = []
    for upload, ctype in ((png_file(), "image/png"), (docx_file(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")):
        data = upload.read()
        files.append((upload.name, ctype, default_storage.save("evidence/test/shared", ContentFile(data)), len(data),
                      hashlib.sha256(data).hexdigest()))
    tasks = [make_task(county.v11, title=f"台账{i}", due=date(2026, 1 + i % 12, 20)) for i in range(50)]
    picks = [files[0] if k % 10 == 0 else files[1] for k in range(1000)]  # every tenth an image
    Evidence.objects.bulk_create([
        Evidence(task=tasks[k % 50], file=path, original_name=f"{k:04d}-{name}", content_type=ctype, size=size, sha256=sha,
                 uploaded_by=county.v11_disc)
        for k, (name, ctype, path, size, sha) in enumerate(picks)
    ])
    binder = make(county.v11_disc, county.v11, django_capture_on_commit_callbacks)
    assert binder.files_included == 1000 and binder.left_out == []
    with zipfile.ZipFile(binder.archive.path) as z:
        assert len([n for n in z.namelist() if not n.endswith((".pdf", ".xlsx"))]) == 1000
        rows = list(load_workbook(io.BytesIO(z.read("index.xlsx")), read_only=True).active.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 1000 and len({r[7] for r in rows}) == 1000
    texts = page_texts(binder.pdf.path)
    assert sum("附件" in t and ".png" in t for t in texts) == 100  # one page per image


def test_menu_and_page_offer_the_binder(county, client):
    from django.urls import reverse

    client.force_login(county.t1_disc)
    page = client.get(reverse("binders:index"), {"org": "T1"}).content.decode()
    assert f'href="{reverse("binders:index")}"' in page and "年度台账" in page  # the menu entry
    assert 'id="binder-request"' in page and 'name="subtree"' in page and "东村" in page
    client.force_login(county.t1_party)  # sees 东村's binders, may not ask for one
    page = client.get(reverse("binders:index"), {"org": "T1-V1"}).content.decode()
    assert 'id="binder-request"' not in page
    client.force_login(county.nobody)
    assert 'href="/binders/"' not in client.get(reverse("accounts:password_change")).content.decode()


def test_every_embedded_file_is_the_stored_file_with_its_sha256(county, village_year, django_capture_on_commit_callbacks):
    """Each file of the year is listed in the PDF with its full sha256 (the database's); each
    embedded image's page names a sha256 that its stored bytes still have; each embedded PDF's
    own pages follow its task's pages, text for text; the file whose bytes changed is listed,
    never embedded."""
    binder = make(county.v11_disc, county.v11, django_capture_on_commit_callbacks)
    texts = page_texts(binder.pdf.path)
    flat = re.sub(r"\s", "", "".join(texts))
    evidence = list(Evidence.objects.filter(task__org=county.v11, task__due_date__year=2026, removed_at__isnull=True))
    assert len(evidence) == 7
    for ev in evidence:
        assert ev.sha256 in flat, ev.original_name
    stored = {ev.original_name: hashlib.sha256(open(ev.file.path, "rb").read()).hexdigest() for ev in evidence}
    attached = dict(re.findall(r"附件 \d+：(\S+)（sha256 ([0-9a-f]{16})…）", "\n".join(texts)))
    assert set(attached) == {"谈话现场.jpg", "截图.png"}  # the images that still match; not 公开栏.jpg
    for name, prefix in attached.items():
        assert stored[name].startswith(prefix)
        assert next(ev for ev in evidence if ev.original_name == name).sha256 == stored[name]
    tampered = village_year["tampered"]
    assert stored[tampered.original_name] != tampered.sha256
    (record,) = [ev for ev in evidence if ev.original_name == "谈话记录.pdf"]
    assert stored[record.original_name] == record.sha256
    own = [p.extract_text() for p in PdfReader(record.file.path).pages]
    start = next(i for i in range(len(texts)) if texts[i:i + len(own)] == own)
    listed_on = max(i for i in range(start) if "谈话记录.pdf" in texts[i])  # its task's page (then the photo's)
    assert start - listed_on <= 2 and "已嵌入PDF" in re.sub(r"\s", "", texts[listed_on])
