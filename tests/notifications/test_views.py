"""Pages: inbox and bell, preferences, reminder settings (bad input), robots (secrets never shown),
delivery log."""

import json
from datetime import date

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from notifications.models import InboxMessage, Outbox, Preference, ReminderSettings, State, Webhook

pytestmark = pytest.mark.django_db


def msg(user, title="今日到期：召开专题会议", **kw):
    return InboxMessage.objects.create(user=user, kind=kw.pop("kind", "due_today"), title=title, **kw)


# --- bell and inbox ---------------------------------------------------------------------------------
def test_bell_shows_the_unread_count_on_every_page(county, login):
    for i in range(3):
        msg(county.v11_disc, f"消息 {i}")
    msg(county.v11_disc, "已读", read_at="2024-01-01T00:00:00Z")
    msg(county.t1_disc, "别人的")
    client = login(county.v11_disc)
    for url in ("/", reverse("notifications:inbox"), reverse("notifications:preferences")):
        html = client.get(url).content.decode()
        assert 'id="notification-bell"' in html and 'id="unread-count">3<' in html, url


def test_bell_costs_one_query(county):
    msg(county.v11_disc)
    request = RequestFactory().get("/")
    request.user = county.v11_disc
    template = Template("{% load notifications %}{% unread_badge %}")
    with CaptureQueriesContext(connection) as ctx:
        html = template.render(Context({"request": request}))
    assert len(ctx.captured_queries) == 1 and ">1<" in html


def test_no_badge_when_nothing_unread(county, login):
    html = login(county.v11_disc).get("/").content.decode()
    assert 'id="notification-bell"' in html and "unread-count" not in html


def test_inbox_lists_only_own_messages_and_filters_unread(county, login):
    mine = msg(county.v11_disc, "我的提醒")
    msg(county.v11_disc, "读过的", read_at="2024-01-01T00:00:00Z")
    msg(county.t1_disc, "别人的提醒")
    client = login(county.v11_disc)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "我的提醒" in html and "读过的" in html and "别人的提醒" not in html
    html = client.get(reverse("notifications:inbox") + "?unread=1").content.decode()
    assert "我的提醒" in html and "读过的" not in html
    client.post(reverse("notifications:read", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_open_marks_read_and_follows_only_local_links(county, login):
    local = msg(county.v11_disc, link="/tasks/12/")
    evil = msg(county.v11_disc, link="https://evil.example.com/")
    client = login(county.v11_disc)
    assert client.post(reverse("notifications:open", args=[local.pk]))["Location"] == "/tasks/12/"
    assert client.post(reverse("notifications:open", args=[evil.pk]))["Location"] == reverse("notifications:inbox")
    assert InboxMessage.objects.filter(read_at__isnull=True).count() == 0


def test_mark_all_read_touches_only_own(county, login):
    for _ in range(3):
        msg(county.v11_disc)
    other = msg(county.t1_disc)
    response = login(county.v11_disc).post(reverse("notifications:read_all"), follow=True)
    assert "3 条消息已标记为已读" in response.content.decode()
    assert not InboxMessage.objects.filter(user=county.v11_disc, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_inbox_is_usable_with_many_messages_in_bounded_queries(county, login, django_assert_max_num_queries):
    for i in range(60):
        msg(county.v11_disc, f"消息 {i}")
    client = login(county.v11_disc)
    client.get(reverse("notifications:inbox"))  # warm up session etc.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("notifications:inbox") + "?page=2")
    assert "第 2 页，共 3 页" in response.content.decode()


def test_navigation_entries(county, login):
    html = login(county.staff).get("/").content.decode()
    assert "消息" in html and "提醒设置" in html and "群机器人" in html
    html = login(county.t1_party).get("/").content.decode()
    assert reverse("notifications:inbox") in html
    assert reverse("notifications:settings") not in html and reverse("notifications:webhooks") not in html


# --- preferences -------------------------------------------------------------------------------------
def test_preferences_save_and_escalation_cannot_be_muted(county, login):
    client = login(county.v11_disc)
    response = client.post(reverse("notifications:preferences"), {"muted_kinds": ["digest", "escalation"]})
    assert response.status_code == 200 and "不是可用的选项" in response.content.decode() or "escalation" in response.content.decode()
    assert not Preference.objects.exists()
    client.post(reverse("notifications:preferences"), {"muted_kinds": ["digest"], "email_enabled": ""})
    pref = Preference.objects.get(user=county.v11_disc)
    assert pref.muted_kinds == ["digest"] and pref.email_enabled is False
    assert AuditEvent.objects.filter(action="notifications.preferences_changed").count() == 1


def test_preferences_page_explains_no_email_and_bounce(county, login):
    html = login(county.v11_disc).get(reverse("notifications:preferences")).content.decode()
    assert "没有登记电子邮箱" in html
    county.v11_disc.email = "x@example.org"
    county.v11_disc.save()
    Preference.objects.create(user=county.v11_disc, bounced_email="x@example.org")
    html = login(county.v11_disc).get(reverse("notifications:preferences")).content.decode()
    assert "退信" in html


# --- reminder settings ------------------------------------------------------------------------------
GOOD = {
    "due_soon_days": "5, 1", "remind_on_due_date": "on", "overdue_repeat_days": 3, "escalate_after_days": 7,
    "escalate_again_after_days": 14, "send_time": "08:30", "digest_enabled": "on", "digest_weekday": 0,
    "digest_time": "09:00", "holiday_enabled": "on", "holiday_days_before": 3, "holiday_text": "{holiday}（{date}）将至。",
    "version": 1,
}


@pytest.mark.parametrize("field, value, message", [
    ("due_soon_days", "-1", "不允许"),
    ("due_soon_days", "0", "不允许"),
    ("due_soon_days", "365", "最多提前 60 天"),
    ("due_soon_days", "5, abc", "不是整数天数"),
    ("due_soon_days", "5, 5", "重复"),
    ("due_soon_days", "9,8,7,6,5,4", "最多"),
    ("overdue_repeat_days", "-3", "0 至 60 天"),
    ("overdue_repeat_days", "999", "0 至 60 天"),
    ("escalate_after_days", "0", "1 至 60 天"),
    ("escalate_again_after_days", "5", "晚于第一次"),
    ("holiday_days_before", "61", "0 至 60 天"),
    ("holiday_text", "{holiday} {boss}", "{boss}"),
    ("holiday_text", "{holiday", "占位符"),
    ("holiday_text", "   ", "必填"),
    ("send_time", "25:00", "时间"),
])
def test_bad_settings_get_a_clear_message_and_change_nothing(county, login, field, value, message):
    rules = ReminderSettings.load()
    before = (rules.version, rules.due_soon_days, rules.overdue_repeat_days, rules.holiday_text)
    response = login(county.staff).post(reverse("notifications:settings"), {**GOOD, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    rules.refresh_from_db()
    assert (rules.version, rules.due_soon_days, rules.overdue_repeat_days, rules.holiday_text) == before
    assert not AuditEvent.objects.filter(action="notifications.settings_changed").exists()


def test_good_settings_are_saved_and_audited(county, login):
    response = login(county.staff).post(reverse("notifications:settings"), {**GOOD, "due_soon_days": "1，7、3"})
    assert response.status_code == 302
    rules = ReminderSettings.load()
    assert rules.due_soon_days == [7, 3, 1] and rules.version == 2 and rules.updated_by == county.staff
    event = AuditEvent.objects.get(action="notifications.settings_changed")
    assert "due_soon_days" in event.detail["changed"]


def test_stale_settings_form_is_a_conflict(county, login):
    client = login(county.staff)
    client.post(reverse("notifications:settings"), {**GOOD, "overdue_repeat_days": 2})
    response = client.post(reverse("notifications:settings"), {**GOOD, "overdue_repeat_days": 5})  # version 1 again
    assert "其他人已修改" in response.content.decode()
    assert ReminderSettings.load().overdue_repeat_days == 2


# --- robots -----------------------------------------------------------------------------------------
def test_robot_secrets_are_never_shown_again(county, login):
    client = login(county.staff)
    response = client.post(reverse("notifications:webhook_create"), {
        "org": county.v11.pk, "kind": "dingtalk",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=TOPSECRETTOKEN", "secret": "SECverysecret",
    })
    assert response.status_code == 302
    w = Webhook.objects.get()
    assert w.secret == "SECverysecret" and "TOPSECRETTOKEN" in w.url
    for url in (reverse("notifications:webhooks"), reverse("notifications:webhook_edit", args=[w.pk])):
        html = client.get(url).content.decode()
        assert "TOPSECRETTOKEN" not in html and "SECverysecret" not in html
        assert "已设置" in html and "https://oapi.dingtalk.com/robot/send?••••" in html
    event = AuditEvent.objects.get(action="notifications.webhook_created")
    assert "TOPSECRET" not in json.dumps(event.detail) and "SECvery" not in json.dumps(event.detail)


def test_blank_fields_on_edit_keep_the_stored_values(county, login):
    w = Webhook.objects.create(org=county.v11, kind="dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=a", secret="SECa")
    login(county.staff).post(reverse("notifications:webhook_edit", args=[w.pk]), {"url": "", "secret": "", "version": 1})
    w.refresh_from_db()
    assert (w.url, w.secret, w.version) == ("https://oapi.dingtalk.com/robot/send?access_token=a", "SECa", 2)
    login(county.staff).post(reverse("notifications:webhook_edit", args=[w.pk]), {"clear_secret": "on", "version": 2})
    w.refresh_from_db()
    assert w.secret == ""


@pytest.mark.parametrize("url, message", [
    ("ftp://qyapi.weixin.qq.com/x", "必须以 https://"),
    ("https://example.com/hook", "不是允许的机器人主机"),
    ("not a url", "不是有效的网址"),
])
def test_bad_robot_urls_change_nothing(county, login, url, message):
    response = login(county.staff).post(reverse("notifications:webhook_create"), {"org": county.v11.pk, "kind": "wecom", "url": url})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Webhook.objects.exists()


def test_one_robot_per_org_and_kind(county, login):
    Webhook.objects.create(org=county.v11, kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a")
    response = login(county.staff).post(reverse("notifications:webhook_create"), {
        "org": county.v11.pk, "kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=b"})
    assert "已有一个此类机器人" in response.content.decode()
    assert Webhook.objects.count() == 1


def test_test_message_reports_the_robots_answer(county, login, robot):
    w = Webhook.objects.create(org=county.v11, kind="wecom", url=robot.url())
    response = login(county.staff).post(reverse("notifications:webhook_action", args=[w.pk, "test"]), follow=True)
    assert "机器人已接收测试消息" in response.content.decode()
    assert json.loads(robot.requests[0][2])["msgtype"] == "markdown"
    robot.default = (200, b'{"errcode": 93000, "errmsg": "invalid webhook url"}')
    response = login(county.staff).post(reverse("notifications:webhook_action", args=[w.pk, "test"]), follow=True)
    assert "测试消息发送失败" in response.content.decode()
    w.refresh_from_db()
    assert w.status == Webhook.Status.ACTIVE  # a test never disables


def test_disable_enable_remove(county, login):
    w = Webhook.objects.create(org=county.v11, kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a")
    pending = Outbox.objects.create(key="k1", kind="due_today", channel="wecom", webhook=w, business_date=date(2024, 1, 1),
                                    due_at="2024-01-01T00:00:00Z")
    client = login(county.staff)
    client.post(reverse("notifications:webhook_action", args=[w.pk, "disable"]))
    w.refresh_from_db()
    pending.refresh_from_db()
    assert w.status == "disabled" and pending.state == State.SKIPPED
    client.post(reverse("notifications:webhook_action", args=[w.pk, "enable"]))
    w.refresh_from_db()
    assert w.status == "active" and w.disabled_reason == ""
    client.post(reverse("notifications:webhook_action", args=[w.pk, "remove"]))
    w.refresh_from_db()
    assert w.status == "removed"  # kept, never hard-deleted
    assert client.get(reverse("notifications:webhook_edit", args=[w.pk])).status_code == 404
    assert client.post(reverse("notifications:webhook_action", args=[w.pk, "explode"])).status_code == 404
    # a new one may be added for the same org and kind once the old one is removed
    assert client.post(reverse("notifications:webhook_create"), {
        "org": county.v11.pk, "kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=b"}).status_code == 302


# --- delivery log -----------------------------------------------------------------------------------
def test_log_lists_rows_and_retry_sends_again(county, login):
    row = Outbox.objects.create(key=f"system:x:{county.v11_disc.pk}:inapp", kind="system", channel="inapp",
                                business_date=date(2024, 1, 1), recipient=county.v11_disc, due_at="2024-01-01T00:00:00Z",
                                state="failed", last_error="SMTP boom", data={"title": "系统通知"})
    client = login(county.staff)
    html = client.get(reverse("notifications:log") + "?state=failed").content.decode()
    assert "SMTP boom" in html and "失败: 1</span>" in html
    client.post(reverse("notifications:retry", args=[row.pk]))
    row.refresh_from_db()
    assert row.state == State.SENT  # eager Celery in tests: the sender ran at once
    assert InboxMessage.objects.filter(user=county.v11_disc, title="系统通知").count() == 1
    assert AuditEvent.objects.filter(action="notifications.outbox_retried").exists()


def test_settings_page_shows_the_job_status(county, login):
    from notifications.services import run_sweep

    html = login(county.staff).get(reverse("notifications:settings")).content.decode()
    assert "提醒任务尚未运行" in html
    run_sweep()
    html = login(county.staff).get(reverse("notifications:settings")).content.decode()
    assert "上次运行" in html
