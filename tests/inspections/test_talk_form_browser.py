"""The talk form in a real browser: county staff record a talk as the 县纪委监委 with a town,
attach the record, forget the topics — the page says what is missing and that the file is
kept — fill them in and save: the talk has its file. Screenshots at 1366×768 and 375×812:
var/screenshots/inspections_talk_kept_file_*.png."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from inspections.models import Talk
from tests.browser import login, no_horizontal_scroll, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]

PDF = {"name": "谈话记录.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% record\n" + b"x" * 300}


@pytest.mark.parametrize("size", [(1366, 768), (375, 812)], ids=["desktop", "phone"])
def test_record_file_is_kept_after_an_error(page, live_server, client, county, settings, tmp_path, size):
    settings.MEDIA_ROOT = tmp_path
    login(page, live_server, client, county.staff)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(live_server.url + reverse("inspections:talk_create"))
    page.select_option("#id_talker_org", str(county.commission.pk))
    page.select_option("#id_org", str(county.town1.pk))
    page.fill("#id_talkee_name", "王书记")
    page.fill("#id_held_on", "2026-11-10")
    page.locator("#id_record_file").set_input_files([PDF])
    page.click("#save")
    expect(page.locator("[data-kept-file]")).to_contain_text("已保留“谈话记录.pdf”")
    expect(page.locator(".invalid-feedback", has_text="谈话内容")).to_be_visible()
    assert no_horizontal_scroll(page)
    shot(page, f"inspections_talk_kept_file_{size[0]}", full_page=True)
    page.fill("#id_topics", "全面从严治党主体责任落实情况")
    page.click("#save")
    expect(page.locator("a[href*='/file']")).to_contain_text("谈话记录.pdf")
    talk = Talk.objects.get()
    assert talk.talker_org == county.commission and talk.org == county.town1 and talk.record_name == "谈话记录.pdf"
