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
        page.goto(f"{wecom.base}/_phone/?as=zhangsan")
        card = page.get_by_role("link", name="查看")
        expect(card).to_be_visible()
        shot(page, f"workapp-phone-{size}")
        card.click()
        expect(page).to_have_url(re.compile(re.escape(live_server.url + reverse("tasks:detail", args=[task.pk])) + "(#.*)?$"))
        expect(page.locator("main")).to_contain_text("召开党风廉政建设专题会议")
        shot(page, f"workapp-task-{size}")


# The 钉钉 Android client as far as the workbench page uses it: the native bridge ("nuva") that the
# vendored dingtalk-jsapi calls. requestAuthCode is answered with a code from the fake's client
# endpoint (through a function the test exposes: the page's CSP lets it reach no other host).
DINGTALK_CLIENT = """
(() => {
  const bridge = (onSuccess, onFail, service, action, params) => {
    if (`${service}.${action}` !== "runtime.permission.requestAuthCode") {
      onFail({errorCode: "9", errorMessage: `not in this stand-in: ${service}.${action}`});
      return;
    }
    window.ddClientRequestAuthCode(params.corpId).then((answer) => answer.code ? onSuccess({code: answer.code}) : onFail(answer));
  };
  window.nuva = {isReady: true, require: () => bridge};
})();
"""
DINGTALK_UA = ("Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 "
               "Mobile Safari/537.36 AliApp(DingTalk/7.6.0) com.alibaba.android.rimet/36005 language/zh-CN")


def test_the_dingtalk_workbench_page_signs_the_person_in(browser, browser_context_args, page, live_server, county,
                                                        dingtalk, settings):
    from tests.workapp.test_dingtalk_workbench import WORKBENCH, client_code

    Binding.objects.create(user=county.v11_disc, provider="dingtalk", userid="zhangsan", via="import")
    make_task(county.v11, today(), title="召开党风廉政建设专题会议")
    for size, (w, h) in SIZES.items():
        # outside 钉钉 (an ordinary browser): the page says so and offers the password sign-in
        page.set_viewport_size({"width": w, "height": h})
        page.goto(live_server.url + WORKBENCH)
        expect(page.get_by_text("请在钉钉工作台中打开本页面")).to_be_visible()
        expect(page.get_by_role("link", name="用用户名和密码登录")).to_be_visible()
        shot(page, f"workapp-dingtalk-outside-{size}")
        assert no_horizontal_scroll(page)

        # inside 钉钉: the client gives the code, the page posts it, the person lands on 我的任务
        context = browser.new_context(**{**browser_context_args, "user_agent": DINGTALK_UA,
                                         "viewport": {"width": w, "height": h}})
        errors = []
        phone = context.new_page()
        phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        phone.on("pageerror", lambda e: errors.append(str(e)))
        phone.expose_function("ddClientRequestAuthCode", lambda corp_id: client_code(dingtalk, "zhangsan", corp_id))
        phone.add_init_script(DINGTALK_CLIENT)
        phone.goto(live_server.url + WORKBENCH + "?next=" + reverse("tasks:mine"))
        expect(phone).to_have_url(live_server.url + reverse("tasks:mine"))
        expect(phone.locator("h1")).to_contain_text("我的任务")
        expect(phone.get_by_text("召开党风廉政建设专题会议").first).to_be_visible()
        shot(phone, f"workapp-dingtalk-mine-{size}")
        assert no_horizontal_scroll(phone)
        assert not errors, errors
        if size == "phone":  # the client refuses (a CorpId the organisation does not have): said so
            phone.context.clear_cookies()
            settings.QINGDAN_DINGTALK_CORP_ID = "ding-other-corp"
            phone.goto(live_server.url + WORKBENCH)
            expect(phone.get_by_text("钉钉没有给出登录码")).to_be_visible()
            expect(phone.get_by_text("corpId不正确")).to_be_visible()
            shot(phone, "workapp-dingtalk-refused-phone")
            expect(phone).to_have_url(live_server.url + WORKBENCH)  # nothing posted, nobody signed in
        context.close()
    assert dingtalk.api_calls("/topapi/v2/user/getuserinfo") == 2
