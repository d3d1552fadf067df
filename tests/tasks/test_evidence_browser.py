"""A reviewer checks a submission on a phone (and at a desk) without saving a file: photo
thumbnails, the viewer, the PDF opened in the browser. Screenshots: var/screenshots/evidence_*.png."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tasks import services
from tests.browser import login, no_horizontal_scroll, shot

from .conftest import make_task, photo, readable_pdf
from .test_browser import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_reviewer_sees_photos_and_pdf_in_the_browser(page, live_server, client, county, settings, tmp_path, size):
    settings.MEDIA_ROOT = str(tmp_path)
    task = make_task(county.v11, title="开展村级廉政谈话")
    services.add_evidence(task, county.v11_disc, photo("谈话现场.jpg", size=(1200, 800), orientation=6))
    services.add_evidence(task, county.v11_disc, photo("签到表.jpg", size=(900, 1200), colour=(40, 140, 60)))
    services.add_evidence(task, county.v11_disc, readable_pdf("谈话记录.pdf"))
    task.refresh_from_db()
    services.submit(task, county.v11_disc, note="已与3名村干部开展廉政谈话", version=task.version)

    login(page, live_server, client, county.t1_disc)
    page.set_viewport_size(PHONE if size == "phone" else DESKTOP)
    page.goto(live_server.url + reverse("tasks:detail", args=[task.pk]))
    thumbs = page.locator("a.evidence-thumb img")
    expect(thumbs).to_have_count(2)
    for i in range(2):
        thumbs.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbs.nth(i).element_handle())
    assert no_horizontal_scroll(page)
    page.locator("#evidence").scroll_into_view_if_needed()
    shot(page, f"evidence_task_{size}", full_page=True)

    page.locator("a.evidence-thumb").first.click()
    viewer = page.locator("#evidence-viewer")
    expect(viewer).to_be_visible()
    expect(viewer).to_have_class(re.compile(r"\bshow\b"))
    expect(page.locator("#evidence-viewer-title")).to_have_text("谈话现场.jpg")
    page.wait_for_function("() => { const i = document.getElementById('evidence-viewer-image'); "
                           "return i.complete && i.naturalWidth > 0; }")
    assert page.evaluate("document.getElementById('evidence-viewer-image').naturalWidth") == 800  # the original, upright (EXIF 6)
    page.wait_for_timeout(400)  # the modal's fade-in
    shot(page, f"evidence_viewer_{size}")
    page.click("#evidence-viewer-next")
    expect(page.locator("#evidence-viewer-title")).to_have_text("签到表.jpg")
    expect(page.locator("#evidence-viewer-count")).to_have_text("2 / 2")
    page.locator("#evidence-viewer .btn-close").click()
    expect(viewer).to_be_hidden()

    with page.context.expect_page() as opened:
        page.locator("a.evidence-open").click()
    tab = opened.value
    tab.set_viewport_size(PHONE if size == "phone" else DESKTOP)
    tab.wait_for_load_state()
    response = tab.context.request.get(tab.url)
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["content-disposition"].startswith("inline")
    tab.wait_for_timeout(2500)  # the browser's PDF viewer draws the page
    shot(tab, f"evidence_pdf_{size}")
    tab.close()
