"""Browser: the bell, the inbox (mark all read) and the staff pages at phone and desktop
width (no horizontal scroll); screenshots in var/screenshots/notifications-*.png."""

import pytest
from django.urls import reverse

from notifications.models import InboxMessage, Webhook
from tests.browser import SHOTS, SIZES, login, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]


def test_bell_inbox_and_staff_pages(page, live_server, client, county, settings):
    SHOTS.mkdir(parents=True, exist_ok=True)
    settings.QINGDAN_SMS_URL = "http://127.0.0.1:9/sms/send"  # offered on the preferences page
    county.staff.mobile = "13800138000"
    county.staff.save()
    items = [{"task": 1, "kind": "overdue", "title": "召开党风廉政建设专题会议并形成会议纪要", "when": "已逾期 12 天",
              "link": "/tasks/1/", "colour": "red"},
             {"task": 2, "kind": "due_today", "title": "报送第四季度主体责任落实情况报告", "when": "今日到期",
              "link": "/tasks/2/", "colour": "yellow"}]
    InboxMessage.objects.create(user=county.staff, kind="overdue", title="7 项清单事项提醒：已逾期 4、今日到期 1、即将到期 2",
                                items=items, more=5, link="/tasks/mine/", read_at="2026-11-18T01:00:00Z")
    for i in range(3):
        InboxMessage.objects.create(user=county.staff, kind="overdue", title=f"逾期提醒：第{i + 1}项专题会议记录尚未提交",
                                    body="任务已逾期，请尽快办理并上传台账。", link="/tasks/mine/")
    Webhook.objects.create(org=county.town1, kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1")
    login(page, live_server, client, county.staff)
    pages = {
        "notifications-inbox": reverse("notifications:inbox"),
        "notifications-preferences": reverse("notifications:preferences"),
        "notifications-settings": reverse("notifications:settings"),
        "notifications-webhooks": reverse("notifications:webhooks"),
        "notifications-log": reverse("notifications:log"),
    }
    for size, (w, h) in SIZES.items():
        page.set_viewport_size({"width": w, "height": h})
        for name, url in pages.items():
            page.goto(live_server.url + url)
            assert page.locator("main").is_visible()
            assert "Server Error" not in page.content()
            page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=False)
            assert no_horizontal_scroll(page), f"{name} scrolls sideways at {w}px"

    page.goto(live_server.url + reverse("notifications:inbox"))
    assert page.locator("#unread-count").inner_text().strip() == "3"
    page.locator("form[action$='read-all/'] button").click()
    page.wait_for_load_state()
    assert page.locator("#unread-count").count() == 0  # no badge once everything is read
    assert not InboxMessage.objects.filter(user=county.staff, read_at__isnull=True).exists()
    page.screenshot(path=str(SHOTS / "notifications-inbox-read-phone.png"), full_page=False)
