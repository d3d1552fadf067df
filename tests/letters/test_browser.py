"""In a real browser at 1366×768 and 375×812: 城关镇 issues its villages' 目标责任书 in one
action from its list; the county follows the cascade county → 城关镇 → 东村; 东村's 纪检委员 opens
the letter from the notice on a phone and uploads the signed scan. Screenshots
var/screenshots/letters_<page>_<width>.png."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from letters import services
from notifications.services.deliver import deliver_due
from letters.models import ResponsibilityLetter
from tasks.models import Task
from tests.browser import SIZES, login, no_horizontal_scroll, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge"),
]


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), (250, 250, 245)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_issue_follow_the_cascade_and_upload_the_signed_scan(page, live_server, client, county, size):
    services.issue(county.staff, county.county, 2026)
    w, h = SIZES[size]
    page.set_viewport_size({"width": w, "height": h})

    # the town issues both villages' letters in one action
    login(page, live_server, client, county.t1_party)
    page.goto(live_server.url + reverse("letters:index") + "?org=T1&year=2026")
    expect(page.locator("#letters-table tbody tr")).to_have_count(2)
    page.locator("#issue-all button").click()
    expect(page.locator('#letters-table tr[data-org="T1-V1"]')).to_contain_text("已下达，待签字")
    expect(page.locator('#letters-table tr[data-org="T1-V2"]')).to_contain_text("已下达，待签字")
    expect(page.locator("#issue-all")).to_have_count(0)
    assert Task.objects.filter(kind="letter", org__kind="village").count() == 2
    assert no_horizontal_scroll(page)
    shot(page, f"letters_issuer_list_{w}", full_page=True)

    # the village discipline member opens the letter from the notice and uploads the signed scan
    deliver_due()    # the outbox's worker puts the notice into the inbox
    login(page, live_server, client, county.v11_disc)
    page.goto(live_server.url + reverse("notifications:inbox"))
    notice = page.locator(".list-group-item", has_text="中共城关镇委员会下达：2026年度全面从严治党目标责任书")
    notice.locator('form[action*="open"] button').click()
    expect(page.locator("#letter-title")).to_have_text("2026年度全面从严治党目标责任书")
    page.set_input_files("#id_scan", files=[{"name": "签字页.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
    shot(page, f"letters_village_letter_{w}", full_page=True)
    page.locator("#sign-submit").click()
    letter = ResponsibilityLetter.objects.get(org=county.v11, year=2026)
    expect(page).to_have_url(live_server.url + reverse("tasks:mine"))     # submitted: back to my tasks
    page.goto(live_server.url + reverse("letters:detail", args=[letter.pk]))
    expect(page.locator("#task-status")).to_have_text("待审核")
    expect(page.locator("#work-form")).to_have_count(0)
    task = Task.objects.get(pk=letter.task_id)
    assert task.status == "submitted" and task.evidence.count() == 1
    assert no_horizontal_scroll(page)
    shot(page, f"letters_village_uploaded_{w}", full_page=True)

    # the county follows the cascade down to the villages
    login(page, live_server, client, county.staff)
    page.goto(live_server.url + reverse("letters:status") + "?org=C&year=2026")
    village = page.locator('#levels tr[data-level="village"]')
    expect(village.locator('a[data-key="submitted"]')).to_have_text("1")
    expect(village.locator('a[data-key="pending"]')).to_have_text("1")
    assert no_horizontal_scroll(page)
    shot(page, f"letters_cascade_county_{w}", full_page=True)
    page.locator('#cascade tr[data-org="T1"] a.drill').click()
    expect(page.locator('#cascade tr[data-org="T1-V1"]')).to_contain_text("已上传签字件")
    expect(page.locator('#cascade tr[data-org="T1-V2"]')).to_contain_text("已下达，待签字")
    shot(page, f"letters_cascade_town_{w}", full_page=True)
    page.locator('#levels tr[data-level="village"] a[data-key="submitted"]').click()
    expect(page.locator("#result-count")).to_have_attribute("data-count", "1")
