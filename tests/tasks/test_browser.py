"""The full loop in a real browser: a village 纪检委员 submits with a photo on a phone
(≤ 3 taps, 1 required field from my tasks) → the town 纪委书记 returns it → the officer
resubmits → approved → county staff see it green. Screenshots: var/screenshots/tasks_*.png."""


import pytest
from django.urls import reverse

from tasks.models import Task
from tests.browser import login, no_horizontal_scroll, shot

from .conftest import make_task

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge"),
]

PHONE, DESKTOP = {"width": 375, "height": 812}, {"width": 1366, "height": 768}
PHOTO = {"name": "现场照片.jpg", "mimeType": "image/jpeg",
         "buffer": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 4000 + b"\xff\xd9"}


def test_full_loop(page, live_server, client, county):
    task = make_task(county.v11, title="开展村级廉政谈话")
    for title in ("召开村务监督会议", "检查三资管理", "报送季度报告"):
        make_task(county.v11, title=title)

    # 1. the village officer, on a phone
    login(page, live_server, client, county.v11_disc)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("tasks:mine"))
    assert page.locator(".task-row").count() == 4
    assert no_horizontal_scroll(page)
    shot(page, "tasks_mine_phone", full_page=True)
    taps, fields = 0, 0
    page.locator(f".task-row[data-task='{task.pk}']").click(); taps += 1
    assert page.locator("#id_photos").get_attribute("accept") == "image/*"
    assert page.locator("#id_photos").get_attribute("capture") is not None
    assert page.locator("#id_photos").get_attribute("multiple") is not None
    page.fill("#id_note", "已与3名村干部开展廉政谈话"); fields += 1
    page.locator("#id_photos").set_input_files([PHOTO]); taps += 1  # one tap on 拍照, camera returns the photo
    assert no_horizontal_scroll(page)
    shot(page, "tasks_detail_phone", full_page=True)
    page.click("#submit-button"); taps += 1
    page.wait_for_url("**" + reverse("tasks:mine"))
    assert taps <= 3 and fields == 1
    task.refresh_from_db()
    assert task.status == "submitted" and task.evidence.count() == 1
    assert task.evidence.get().original_name == "现场照片.jpg"
    shot(page, "tasks_mine_after_submit_phone", full_page=True)

    # 2. the town 纪委书记 returns it
    login(page, live_server, client, county.t1_disc)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("tasks:review_queue"))
    shot(page, "tasks_review_queue_desktop", full_page=True)
    page.locator(f".queue-row[data-task='{task.pk}']").click()
    page.click("#return-button")  # no reason: refused with a message, nothing changes
    assert "请填写退回原因" in page.locator("#errors").inner_text()
    assert Task.objects.get(pk=task.pk).status == "submitted"
    page.fill("#id_reason", "请补充谈话记录签字页")
    page.click("#return-button")
    page.wait_for_url("**" + reverse("tasks:review_queue"))
    assert Task.objects.get(pk=task.pk).status == "returned"

    # 3. the officer sees the reason and resubmits
    login(page, live_server, client, county.v11_disc)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("tasks:mine"))
    assert "请补充谈话记录签字页" in page.locator(f".task-row[data-task='{task.pk}']").inner_text()
    page.locator(f".task-row[data-task='{task.pk}']").click()
    assert "请补充谈话记录签字页" in page.locator("#return-reason").inner_text()
    shot(page, "tasks_returned_phone", full_page=True)
    page.fill("#id_note", "已开展谈话并补充签字页")
    page.click("#submit-button")
    page.wait_for_url("**" + reverse("tasks:mine"))

    # 4. approved
    login(page, live_server, client, county.t1_disc)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("tasks:detail", args=[task.pk]))
    page.click("#approve-button")
    page.wait_for_url("**" + reverse("tasks:review_queue"))
    task.refresh_from_db()
    assert task.status == "approved"

    # 5. county staff: green on the task and in the progress by org
    login(page, live_server, client, county.staff)
    page.goto(live_server.url + reverse("tasks:detail", args=[task.pk]))
    assert page.locator("#task-colour").get_attribute("data-colour") == "green"
    assert [e.split("\n")[0] for e in page.locator("#timeline li").all_inner_texts()][:0] == []
    timeline = page.locator("#timeline").inner_text()
    for word in ("提交", "退回", "通过", "上传材料"):
        assert word in timeline
    shot(page, "tasks_detail_approved_desktop", full_page=True)
    page.goto(live_server.url + reverse("tasks:progress") + f"?org={county.town1.pk}&year={task.due_date.year}")
    row = page.locator(f"#by-org tr[data-org='{county.v11.code}'] td")
    assert row.nth(5).inner_text().strip() == "1"  # the green column
    shot(page, "tasks_progress_desktop", full_page=True)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("tasks:progress") + f"?org={county.town1.pk}&year={task.due_date.year}")
    assert no_horizontal_scroll(page)
    shot(page, "tasks_progress_phone", full_page=True)
