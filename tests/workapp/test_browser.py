"""Browser: the whole sign-in from the work app in Chromium — the sign-in page's button, the
redirect followed to the fake 企业微信, back with a code, onto 我的任务; and a message card on the
fake's phone page opening its task. Screenshots in var/screenshots/workapp-*.png."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from notifications.services import deliver_due, run_sweep
from tests.browser import SIZES, no_horizontal_scroll, shot
from tests.county import today
from tests.notifications.factories import make_task
from workapp.models import Binding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]


def test_sign_in_from_the_work_app_and_open_a_message(page, live_server, county, wecom, send_now, settings):
    settings.QINGDAN_SITE_URL = live_server.url
    Binding.objects.create(user=county.v11_disc, provider="wecom", userid="zhangsan", via="import")
    wecom.phone_user = "zhangsan"
    task = make_task(county.v11, today(), title="召开党风廉政建设专题会议")
    run_sweep()
    deliver_due()
    assert [m["to"] for m in wecom.messages] == ["zhangsan"]

    for size, (w, h) in SIZES.items():
        page.context.clear_cookies()
        page.set_viewport_size({"width": w, "height": h})
        page.goto(live_server.url + reverse("accounts:login"))
        button = page.get_by_role("link", name="从企业微信登录")
        expect(button).to_be_visible()
        shot(page, f"workapp-login-{size}")
        assert no_horizontal_scroll(page)
        button.click()  # → the fake's authorize page → back with code and state → 我的任务
        # (the browser keeps the authorisation page's #wechat_redirect across the redirects)
        expect(page).to_have_url(re.compile(re.escape(live_server.url + reverse("tasks:mine")) + "(#.*)?$"))
        expect(page.locator("h1")).to_contain_text("我的任务")
        expect(page.get_by_text("召开党风廉政建设专题会议").first).to_be_visible()
        shot(page, f"workapp-mine-{size}")
        assert no_horizontal_scroll(page)

        # the phone: the card the fake received opens the task (this browser is signed out first)
        page.context.clear_cookies()
        page.goto(f"{wecom.url}/_phone/?as=zhangsan")
        card = page.get_by_role("link", name="查看")
        expect(card).to_be_visible()
        shot(page, f"workapp-phone-{size}")
        card.click()
        expect(page).to_have_url(re.compile(re.escape(live_server.url + reverse("tasks:detail", args=[task.pk])) + "(#.*)?$"))
        expect(page.locator("main")).to_contain_text("召开党风廉政建设专题会议")
        shot(page, f"workapp-task-{size}")
