"""An interrupted archive export and binder in a real browser: the page says 已中断 in Chinese
and 重新生成 starts a new one, which runs (Celery is eager here) and offers its download.
Screenshots: var/screenshots/reports_archive_interrupted_{1366,375}.png,
binders_interrupted_{1366,375}.png."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from binders.models import Binder
from reports.models import Export
from tests.browser import login, no_horizontal_scroll, shot

from .conftest import populate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]


@pytest.mark.parametrize("size", [(1366, 768), (375, 812)], ids=["desktop", "phone"])
def test_interrupted_jobs_are_shown_and_started_again(page, live_server, client, county, settings, tmp_path, size):
    settings.MEDIA_ROOT = tmp_path
    populate(county)
    export = Export.objects.create(user=county.staff, org=county.town1, year=2026, status=Export.Status.INTERRUPTED)
    binder = Binder.objects.create(requested_by=county.staff, org=county.v11, year=2026, quarter=3,
                                   status=Binder.Status.INTERRUPTED)
    login(page, live_server, client, county.staff)
    page.set_viewport_size({"width": size[0], "height": size[1]})

    page.goto(live_server.url + reverse("reports:archive_detail", args=[export.pk]))
    expect(page.locator("#archive-progress")).to_contain_text("已中断")
    expect(page.locator("#archive-interrupted")).to_contain_text("请重新生成")
    assert no_horizontal_scroll(page)
    shot(page, f"reports_archive_interrupted_{size[0]}", full_page=True)
    page.click("#archive-retry")
    expect(page.locator("#archive-download")).to_be_visible()
    again = Export.objects.exclude(pk=export.pk).get()
    assert again.status == Export.Status.DONE and again.total > 0 and page.url.endswith(f"/archive/{again.pk}/")

    page.goto(live_server.url + reverse("binders:detail", args=[binder.pk]))
    expect(page.locator("#binder-interrupted")).to_contain_text("台账汇编生成已中断")
    assert no_horizontal_scroll(page)
    shot(page, f"binders_interrupted_{size[0]}", full_page=True)
    page.click("#binder-retry")
    expect(page.locator("#binder-zip")).to_be_visible()
    assert Binder.objects.exclude(pk=binder.pk).get().status == Binder.Status.DONE
    assert Binder.objects.get(pk=binder.pk).status == Binder.Status.INTERRUPTED
