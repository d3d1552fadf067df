"""A file over the largest upload size is refused while it arrives: a real 30 MB request body
is read only up to the limit, the answer is a clear Chinese message (413), nothing is saved.
In the browser, such a file is refused before it is sent."""

import pytest
from playwright.sync_api import expect
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart
from django.urls import reverse

from tasks.models import Evidence, Task, TaskEvent
from tests.browser import login, shot

from .conftest import jpeg, make_task

MB = 1024 * 1024


class CountingPayload(FakePayload):
    """The request body as the server reads it, counting the bytes read."""

    def __init__(self, content):
        super().__init__(content)
        self.bytes_read = 0

    def read(self, size=-1, /):
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def readline(self, size=-1, /):
        data = super().readline(size)
        self.bytes_read += len(data)
        return data


def multipart(fields):
    return encode_multipart(BOUNDARY, fields), MULTIPART_CONTENT


@pytest.mark.django_db
def test_a_30_mb_file_is_refused_after_reading_little_more_than_the_limit(county, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = settings.IMPORT_MAX_BYTES = 20 * MB
    task = make_task(county.v11)
    client.force_login(county.v11_disc)
    body, content_type = multipart({"note": "已开展谈话", "version": task.version, "action": "submit",
                                    "files": [jpeg("巨大的照片.jpg", size=30 * MB)]})
    assert len(body) > 30 * MB
    events = TaskEvent.objects.filter(task=task).count()
    payload = CountingPayload(body)
    response = client.generic("POST", reverse("tasks:work", args=[task.pk]), body, content_type, **{"wsgi.input": payload})
    assert response.status_code == 413
    page = response.content.decode()
    assert "“巨大的照片.jpg”" in page and "20.0\xa0MB" in page and "未保存任何内容" in page
    assert 20 * MB < payload.bytes_read < 20 * MB + MB   # stopped at the limit, 10 MB never read
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING and not Evidence.objects.exists() and TaskEvent.objects.filter(task=task).count() == events
    assert not any(tmp_path.rglob("*.*"))


@pytest.mark.django_db
def test_a_file_within_the_limit_still_arrives(county, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = settings.IMPORT_MAX_BYTES = 2 * MB
    task = make_task(county.v11)
    client.force_login(county.v11_disc)
    response = client.post(reverse("tasks:work", args=[task.pk]),
                           {"note": "已开展谈话", "version": task.version, "action": "submit", "files": [jpeg(size=MB)]})
    assert response.status_code == 302
    assert Evidence.objects.get(task=task).size > MB - 100


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_purge")
def test_the_browser_refuses_a_file_over_the_limit_before_sending(page, live_server, client, county, settings):
    settings.EVIDENCE_MAX_BYTES = settings.IMPORT_MAX_BYTES = 2 * MB
    task = make_task(county.v11)
    login(page, live_server, client, county.v11_disc)
    sent = []
    page.on("request", lambda r: sent.append(r.method) if r.method == "POST" else None)
    for name, size in (("phone", {"width": 375, "height": 812}), ("desktop", {"width": 1366, "height": 768})):
        page.set_viewport_size(size)
        page.goto(live_server.url + reverse("tasks:detail", args=[task.pk]))
        big = {"name": "巨大的照片.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff" + b"\x00" * (3 * MB)}
        page.locator("#id_photos").set_input_files([big])
        note = page.locator("[data-upload-too-big]")
        expect(note).to_contain_text("“巨大的照片.jpg”")
        expect(note).to_contain_text("2.0 MB")
        assert page.locator("#id_photos").evaluate("el => el.files.length") == 0
        expect(page.locator("#chosen-files")).not_to_contain_text("巨大的照片.jpg")
        shot(page, f"upload_too_big_{name}", full_page=True)
    assert not sent
