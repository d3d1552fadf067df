"""Evidence seen without downloading it: photos as thumbnails and in the viewer, PDFs opened in
the browser — only through the evidence look-up (scope), sandboxed; other kinds stay downloads."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts import thumbnails
from accounts.models import AuditEvent
from tasks import services
from tasks.models import Evidence

from .conftest import make_task, office_zip, pdf, photo

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def files(county, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    task = make_task(county.v11)
    return {
        "task": task,
        "photo": services.add_evidence(task, county.v11_disc, photo(orientation=6)),
        "pdf": services.add_evidence(task, county.v11_disc, pdf()),
        "docx": services.add_evidence(task, county.v11_disc, office_zip("记录.docx", DOCX + ".main+xml")),
    }


def url(name, ev):
    return reverse(f"tasks:{name}", args=[ev.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_thumbnail_is_small_upright_stripped_and_cached(county, login, files):
    client = login(county.t1_disc)  # the reviewer
    r = client.get(url("evidence_thumb", files["photo"]))
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    assert r["Content-Security-Policy"] == "sandbox" and r["X-Content-Type-Options"] == "nosniff"
    img = Image.open(io.BytesIO(r.content))
    assert img.size == (240, 480)  # 800×400 stored sideways (EXIF 6): shown upright, at most 480 a side
    assert not img.getexif()  # no metadata (GPS) carried over
    assert default_storage.exists(thumbnails.cache_name(files["photo"].sha256))
    again = client.get(url("evidence_thumb", files["photo"]))
    assert again.content == r.content


def test_no_thumbnail_for_other_kinds_or_broken_images(county, login, files):
    client = login(county.t1_disc)
    assert client.get(url("evidence_thumb", files["pdf"])).status_code == 404
    assert client.get(url("evidence_thumb", files["docx"])).status_code == 404
    broken = services.add_evidence(files["task"], county.v11_disc, SimpleUploadedFile(
        "坏.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 500 + b"\xff\xd9", content_type="image/jpeg"))
    assert client.get(url("evidence_thumb", broken)).status_code == 404


def test_decompression_bomb_is_refused_before_decoding(county, login, files):
    out = io.BytesIO()
    Image.new("1", (10000, 6000)).save(out, "PNG")  # 60 megapixels in a few kilobytes
    bomb = services.add_evidence(files["task"], county.v11_disc, SimpleUploadedFile("大图.png", out.getvalue()))
    assert len(out.getvalue()) < 200_000
    assert login(county.t1_disc).get(url("evidence_thumb", bomb)).status_code == 404
    assert thumbnails.render(io.BytesIO(out.getvalue())) is None


def test_changed_file_gets_no_thumbnail(county, login, files):
    ev = files["photo"]
    name = ev.file.name
    default_storage.delete(name)
    default_storage.save(name, ContentFile(photo(colour=(0, 255, 0)).read()))
    assert login(county.t1_disc).get(url("evidence_thumb", ev)).status_code == 404


def test_photo_and_pdf_open_inline_sandboxed_and_audited(county, login, files):
    client = login(county.t1_disc)
    for key, ctype in (("photo", "image/jpeg"), ("pdf", "application/pdf")):
        r = client.get(url("evidence_view", files[key]))
        assert r.status_code == 200 and r["Content-Type"] == ctype
        assert r["Content-Disposition"].startswith("inline")
        assert r["Content-Security-Policy"] == "sandbox" and r["X-Content-Type-Options"] == "nosniff"
        assert body(r) == files[key].file.open("rb").read()
    assert AuditEvent.objects.filter(action="tasks.evidence_viewed", actor=county.t1_disc).count() == 2


def test_office_html_and_svg_stay_downloads(county, login, files):
    task = files["task"]
    svg = Evidence.objects.create(task=task, original_name="图.svg", content_type="image/svg+xml", size=10, sha256="",
                                  uploaded_by=county.v11_disc)
    svg.file.save("upload", ContentFile(b"<svg onload='alert(1)'/>"), save=True)
    import hashlib
    Evidence.objects.filter(pk=svg.pk).update(sha256=hashlib.sha256(b"<svg onload='alert(1)'/>").hexdigest())
    client = login(county.t1_disc)
    for ev in (files["docx"], svg):
        r = client.get(url("evidence_view", ev))
        assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
        assert r["X-Content-Type-Options"] == "nosniff"
    assert client.get(url("evidence_thumb", svg)).status_code == 404


def test_outsiders_get_404_and_nothing_is_recorded(county, login, files):
    for name in ("t2_disc", "v21_disc", "nobody"):
        client = login(county.users[name])
        for ev in (files["photo"], files["pdf"]):
            assert client.get(url("evidence_view", ev)).status_code == 404
            assert client.get(url("evidence_thumb", ev)).status_code == 404
    assert not AuditEvent.objects.filter(action="tasks.evidence_viewed").exists()


def test_anonymous_is_sent_to_login(client, files):
    for name in ("evidence_view", "evidence_thumb"):
        r = client.get(url(name, files["photo"]))
        assert r.status_code == 302 and "login" in r["Location"]


def test_removed_file_only_for_county_staff(county, login, files):
    services.remove_evidence(files["photo"], county.v11_disc, "传错")
    assert login(county.t1_disc).get(url("evidence_thumb", files["photo"])).status_code == 404
    assert login(county.t1_disc).get(url("evidence_view", files["photo"])).status_code == 404
    assert login(county.staff).get(url("evidence_thumb", files["photo"])).status_code == 200


def test_task_page_shows_thumbnails_and_inline_links(county, login, files, django_assert_max_num_queries):
    client = login(county.t1_disc)
    with django_assert_max_num_queries(30):
        html = client.get(reverse("tasks:detail", args=[files["task"].pk])).content.decode()
    assert f'src="{url("evidence_thumb", files["photo"])}"' in html
    assert f'href="{url("evidence_view", files["pdf"])}"' in html and 'target="_blank"' in html
    assert f'href="{url("evidence_view", files["docx"])}"' not in html
    assert 'id="evidence-viewer"' in html and "evidence-viewer.js" in html
