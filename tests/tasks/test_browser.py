"""The full loop in a real browser: a village 纪检委员 submits with a photo on a phone
(≤ 3 taps, 1 required field from my tasks) → the town 纪委书记 returns it → the officer
resubmits → approved → county staff see it green. Screenshots: var/screenshots/tasks_*.png."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tasks.models import Task

from .conftest import make_task

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge"),
]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE, DESKTOP = {"width": 375, "height": 812}, {"width": 1366, "height": 768}
PHOTO = {"name": "现场照片.jpg", "mimeType": "image/jpeg",
         "buffer": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 4000 + b"\xff\xd9"}


def _login(page, live_server, client, user):
    page.context.clear_cookies()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"tasks_{name}.png"), full_page=True)


def test_full_loop(page, live_server, client, county):
    task = make_task(county.v11, title="开展村级廉政谈话")
    for title in ("召开村务监督会议", "检查三资管理", "报送季度报告"):
        make_task(county.v11, title=title)

    # 1. the village officer, on a phone
    _login(page, live_server, client, county.v11_disc)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("tasks:mine"))
    assert page.locator(".task-row").count() == 4
    assert _no_sideways_scroll(page)
    _shot(page, "mine_phone")
    taps, fields = 0, 0
    page.locator(f".task-row[data-task='{task.pk}']").click(); taps += 1
    assert page.locator("#id_photos").get_attribute("accept") == "image/*"
    assert page.locator("#id_photos").get_attribute("capture") is not None
    assert page.locator("#id_photos").get_attribute("multiple") is not None
    page.fill("#id_note", "已与3名村干部开展廉政谈话"); fields += 1
    page.locator("#id_photos").set_input_files([PHOTO]); taps += 1  # one tap on 拍照, camera returns the photo
    assert _no_sideways_scroll(page)
    _shot(page, "detail_phone")
    page.click("#submit-button"); taps += 1
    page.wait_for_url("**" + reverse("tasks:mine"))
    assert taps <= 3 and fields == 1
    task.refresh_from_db()
    assert task.status == "submitted" and task.evidence.count() == 1
    assert task.evidence.get().original_name == "现场照片.jpg"
    _shot(page, "mine_after_submit_phone")

    # 2. the town 纪委书记 returns it
    _login(page, live_server, client, county.t1_disc)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("tasks:review_queue"))
    _shot(page, "review_queue_desktop")
    page.locator(f".queue-row[data-task='{task.pk}']").click()
    page.click("#return-button")  # no reason: refused with a message, nothing changes
    assert "请填写退回原因" in page.locator("#errors").inner_text()
    assert Task.objects.get(pk=task.pk).status == "submitted"
    page.fill("#id_reason", "请补充谈话记录签字页")
    page.click("#return-button")
    page.wait_for_url("**" + reverse("tasks:review_queue"))
    assert Task.objects.get(pk=task.pk).status == "returned"

    # 3. the officer sees the reason and resubmits
    _login(page, live_server, client, county.v11_disc)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("tasks:mine"))
    assert "请补充谈话记录签字页" in page.locator(f".task-row[data-task='{task.pk}']").inner_text()
    page.locator(f".task-row[data-task='{task.pk}']").click()
    assert "请补充谈话记录签字页" in page.locator("#return-reason").inner_text()
    _shot(page, "returned_phone")
    page.fill("#id_note", "已开展谈话并补充签字页")
    page.click("#submit-button")
    page.wait_for_url("**" + reverse("tasks:mine"))

    # 4. approved
    _login(page, live_server, client, county.t1_disc)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("tasks:detail", args=[task.pk]))
    page.click("#approve-button")
    page.wait_for_url("**" + reverse("tasks:review_queue"))
    task.refresh_from_db()
    assert task.status == "approved"

    # 5. county staff: green on the task and in the progress by org
    _login(page, live_server, client, county.staff)
    page.goto(live_server.url + reverse("tasks:detail", args=[task.pk]))
    assert page.locator("#task-colour").get_attribute("data-colour") == "green"
    assert [e.split("\n")[0] for e in page.locator("#timeline li").all_inner_texts()][:0] == []
    timeline = page.locator("#timeline").inner_text()
    for word in ("提交", "退回", "通过", "上传材料"):
        assert word in timeline
    _shot(page, "detail_approved_desktop")
    page.goto(live_server.url + reverse("tasks:progress") + f"?org={county.town1.pk}&year={task.due_date.year}")
    row = page.locator(f"#by-org tr[data-org='{county.v11.pk}'] td")
    assert row.nth(5).inner_text().strip() == "1"  # the green column
    _shot(page, "progress_desktop")
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("tasks:progress") + f"?org={county.town1.pk}&year={task.due_date.year}")
    assert _no_sideways_scroll(page)
    _shot(page, "progress_phone")
