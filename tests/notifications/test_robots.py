"""企业微信 / 钉钉 group robots against a local HTTP server: exact payloads, 钉钉's signature,
one message per organisation and batch, retries on 5xx and timeouts, disabling on refusals."""

import base64
import hashlib
import hmac
import json
import socket
from datetime import date, timedelta
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from notifications.channels import DeliveryError
from notifications.channels.dingtalk import sign, signed_url
from notifications.channels.http import check_url, post_json
from notifications.models import InboxMessage, Kind, Outbox, State, Webhook
from notifications.services import deliver_due, run_sweep
from tests.notifications.conftest import bj, inbox_about
from tests.notifications.factories import make_task

pytestmark = pytest.mark.django_db

D = date(2024, 5, 15)
NOON = bj(2024, 5, 15, 12)


def robot_for(org, robot, kind="wecom", secret=""):
    path = "/cgi-bin/webhook/send?key=abc" if kind == "wecom" else "/robot/send?access_token=tok"
    return Webhook.objects.create(org=org, kind=kind, url=robot.url(path), secret=secret)


def run(moment=NOON):
    with time_machine.travel(moment, tick=False):
        run_sweep()
        return deliver_due()


def test_wecom_gets_one_markdown_message_per_org_and_batch(county, rules, robot):
    w = robot_for(county.v11, robot)
    make_task(county.v11, D, title="召开专题会议")
    make_task(county.v11, D + timedelta(days=5), title="开展廉政谈话")
    make_task(county.v11, D - timedelta(days=4), title="报送工作报告")
    make_task(county.v21, D, title="别的村的事")  # no robot there
    run()
    assert len(robot.requests) == 1
    path, headers, body = robot.requests[0]
    assert path == "/cgi-bin/webhook/send?key=abc"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(body)
    assert set(payload) == {"msgtype", "markdown"} and payload["msgtype"] == "markdown"
    assert set(payload["markdown"]) == {"content"}
    content = payload["markdown"]["content"]
    assert content.startswith("### 东村")
    for title in ("召开专题会议", "开展廉政谈话", "报送工作报告"):
        assert title in content
    assert "别的村的事" not in content
    assert "已逾期" in content and "今日到期" in content and "即将到期" in content
    rows = Outbox.objects.filter(webhook=w)
    assert rows.count() == 3 and set(rows.values_list("state", flat=True)) == {State.SENT}
    w.refresh_from_db()
    assert w.last_success_at is not None
    # running again sends nothing more
    run(NOON + timedelta(minutes=5))
    assert len(robot.requests) == 1


def test_dingtalk_payload_and_signature(county, rules, robot):
    secret = "SEC0123456789abcdef"
    w = robot_for(county.v11, robot, kind="dingtalk", secret=secret)
    make_task(county.v11, D, title="召开专题会议")
    run()
    (path, headers, body) = robot.requests[0]
    payload = json.loads(body)
    assert payload["msgtype"] == "markdown"
    assert set(payload["markdown"]) == {"title", "text"}
    assert payload["markdown"]["title"] == "东村 · 主体责任清单提醒"
    assert "召开专题会议" in payload["markdown"]["text"]
    query = parse_qs(urlsplit(path).query)
    assert query["access_token"] == ["tok"]
    ts = query["timestamp"][0]
    assert abs(int(ts) - int(NOON.timestamp() * 1000)) < 1000  # milliseconds
    raw_sign = urlsplit(path).query.split("sign=")[1]
    expected = base64.b64encode(hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()).decode()
    assert unquote_plus(raw_sign) == expected
    assert Outbox.objects.get(webhook=w).state == State.SENT


def test_dingtalk_sign_matches_the_documented_recipe():
    # the string to sign is "<timestamp>\n<secret>"; the result is URL-encoded base64
    s = sign("SECxyz", 1700000000000)
    digest = hmac.new(b"SECxyz", b"1700000000000\nSECxyz", hashlib.sha256).digest()
    assert unquote_plus(s) == base64.b64encode(digest).decode()
    assert "+" not in s and "/" not in s and "=" not in s  # URL-encoded
    assert signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "", 1) == "https://oapi.dingtalk.com/robot/send?access_token=t"


def test_server_error_is_retried_with_backoff_then_delivered_once(county, rules, robot):
    robot.responses = [(500, b"oops")]
    w = robot_for(county.v11, robot)
    make_task(county.v11, D)
    run()
    row = Outbox.objects.get(webhook=w)
    assert row.state == State.PENDING and row.attempts == 1 and "500" in row.last_error
    assert row.next_attempt_at == NOON + timedelta(seconds=60)
    with time_machine.travel(NOON + timedelta(seconds=61), tick=False):
        deliver_due()
    row.refresh_from_db()
    assert row.state == State.SENT and row.attempts == 2 and len(robot.requests) == 2
    w.refresh_from_db()
    assert w.status == Webhook.Status.ACTIVE


@pytest.mark.parametrize("status, body, kind", [
    (400, b'{"errcode": 40008, "errmsg": "invalid message type"}', "wecom"),
    (404, b"not found", "wecom"),
    (200, b'{"errcode": 93000, "errmsg": "invalid webhook url, hint: [xxx]"}', "wecom"),
    (200, b'{"errcode": 310000, "errmsg": "sign not match"}', "dingtalk"),
    (302, b"", "wecom"),
])
def test_refusal_or_bad_key_disables_the_robot_and_tells_county_staff(county, rules, robot, status, body, kind):
    robot.default = (status, body)
    w = robot_for(county.v11, robot, kind=kind, secret="SECx" if kind == "dingtalk" else "")
    t1 = make_task(county.v11, D)
    make_task(county.v11, D + timedelta(days=1))
    run()
    w.refresh_from_db()
    assert w.status == Webhook.Status.DISABLED and w.disabled_reason
    assert set(Outbox.objects.filter(webhook=w).values_list("state", flat=True)) == {State.FAILED}
    notice = InboxMessage.objects.get(user=county.staff, kind=Kind.SYSTEM)
    assert "东村" in notice.title and notice.link == "/notifications/webhooks/"
    assert not InboxMessage.objects.filter(user=county.county_sec, kind=Kind.SYSTEM).exists()
    # in-app reminders to the people were not affected
    assert inbox_about(t1, user=county.v11_disc).exists()
    # later sweeps do not queue rows for the disabled robot, and nothing more is posted
    make_task(county.v11, D)
    run(NOON + timedelta(hours=1))
    assert len(robot.requests) == 1
    assert Outbox.objects.filter(webhook=w).count() == 2


def test_timeout_is_transient(county, rules, robot, settings):
    settings.QINGDAN_WEBHOOK_TIMEOUT = 0.3
    robot.delay = 1.0
    w = robot_for(county.v11, robot)
    make_task(county.v11, D)
    run()
    row = Outbox.objects.get(webhook=w)
    assert row.state == State.PENDING and row.next_attempt_at is not None
    w.refresh_from_db()
    assert w.status == Webhook.Status.ACTIVE


def test_unreachable_robot_is_transient(closed_port):
    with pytest.raises(DeliveryError) as exc:
        post_json(f"http://127.0.0.1:{closed_port}/x", {"a": 1}, timeout=1)
    assert not exc.value.permanent


def test_busy_errcode_is_transient(county, rules, robot):
    robot.default = (200, b'{"errcode": 45009, "errmsg": "api freq out of limit"}')
    w = robot_for(county.v11, robot)
    make_task(county.v11, D)
    run()
    assert Outbox.objects.get(webhook=w).state == State.PENDING


def test_holiday_reminder_goes_to_each_org_robot_once(county, rules, robot):
    from responsibilities.models import Holiday

    w = robot_for(county.v11, robot)
    Holiday.objects.create(year=2024, name="dragon_boat", date=date(2024, 6, 10))
    run(bj(2024, 6, 7, 9))  # 3 days before
    run(bj(2024, 6, 8, 9))
    assert len(robot.requests) == 1
    content = json.loads(robot.requests[0][2])["markdown"]["content"]
    assert "2024年6月10日" in content and "节前廉政提醒" in content
    assert Outbox.objects.filter(webhook=w, kind=Kind.HOLIDAY).count() == 1


@pytest.mark.parametrize("url, fragment", [
    ("ftp://qyapi.weixin.qq.com/x", "https://"),
    ("javascript:alert(1)", "https://"),
    ("https://evil.example.com/cgi-bin/webhook/send?key=1", "evil.example.com"),
    ("https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send", "用户名"),
    ("https://qyapi.weixin.qq.com:99999/x", "有效的网址"),
    ("", "地址"),
])
def test_bad_webhook_urls_get_a_clear_message(url, fragment):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as exc:
            check_url(url)
        assert fragment in " ".join(exc.value.messages)


def test_allowed_hosts_come_from_settings(settings):
    check_url("https://oapi.dingtalk.com/robot/send?access_token=x")
    settings.QINGDAN_WEBHOOK_ALLOWED_HOSTS = ["robot.intranet.gov.cn"]
    check_url("https://robot.intranet.gov.cn/send")
    with pytest.raises(ValidationError):
        check_url("https://oapi.dingtalk.com/robot/send?access_token=x")


def test_host_removed_from_allow_list_disables_at_send_time(county, rules, robot, settings):
    w = robot_for(county.v11, robot)
    make_task(county.v11, D)
    settings.QINGDAN_WEBHOOK_ALLOWED_HOSTS = ["qyapi.weixin.qq.com"]
    run()
    assert robot.requests == []
    w.refresh_from_db()
    assert w.status == Webhook.Status.DISABLED


# --- server-side request forgery ------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://127.0.0.1/cgi-bin/webhook/send?key=a",
    "http://localhost/cgi-bin/webhook/send?key=a",
    "https://10.0.0.1/cgi-bin/webhook/send?key=a",
    "https://localhost/cgi-bin/webhook/send?key=a",
    "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a",
])
def test_production_default_refuses_loopback_private_and_plain_http(url):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError):
            check_url(url)
        with pytest.raises(DeliveryError) as exc:
            post_json(url, {"a": 1}, timeout=1)
    assert exc.value.disable


@pytest.mark.parametrize("host", ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "fc00::1", "0.0.0.0", "224.0.0.1", "::ffff:127.0.0.1"])
def test_an_allow_listed_ip_literal_on_a_private_range_is_refused(settings, host):
    settings.QINGDAN_WEBHOOK_ALLOWED_HOSTS = [host]
    literal = f"[{host}]" if ":" in host else host
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as exc:
            check_url(f"https://{literal}/send")
    assert "私有" in " ".join(exc.value.messages)


def test_an_allow_listed_name_resolving_to_loopback_is_refused_before_any_connection(settings):
    from tests.notifications.conftest import RobotServer

    server = RobotServer()
    try:
        settings.QINGDAN_WEBHOOK_ALLOWED_HOSTS = ["localhost"]
        settings.QINGDAN_WEBHOOK_ALLOW_HTTP = True  # only the address check is left to refuse it
        check_url(f"http://localhost:{server.port}/x")  # a name: resolved at send time
        with pytest.raises(DeliveryError) as exc:
            post_json(f"http://localhost:{server.port}/x", {"a": 1}, timeout=1)
        assert exc.value.disable and ("127.0.0.1" in str(exc.value) or "::1" in str(exc.value))
        assert server.requests == []
    finally:
        server.close()


def test_every_resolved_address_is_checked(settings, monkeypatch):
    # The resolver is the outside world: a name with one public and one loopback address.
    monkeypatch.setattr("socket.getaddrinfo", lambda host, port, *a, **k: [
        (socket.AF_INET, 1, 6, "", ("203.0.113.9", port)), (socket.AF_INET, 1, 6, "", ("93.184.216.34", port)), (socket.AF_INET, 1, 6, "", ("127.0.0.1", port))])
    with pytest.raises(DeliveryError) as exc:
        post_json("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a", {"a": 1}, timeout=1)
    assert exc.value.disable and "203.0.113.9" in str(exc.value)  # documentation range: not global


def test_the_checked_address_is_the_one_connected_to(county, loopback_robots, robot, monkeypatch):
    """One lookup; the connection goes to its answer, the Host header keeps the name — a DNS
    server answering differently a second time (rebinding) is never asked."""
    lookups = []

    def resolver(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, 1, 6, "", ("127.0.0.1", port))] if len(lookups) == 1 else [(socket.AF_INET, 1, 6, "", ("10.9.9.9", port))]

    monkeypatch.setattr("socket.getaddrinfo", resolver)
    answer = post_json(f"http://qyapi.weixin.qq.com:{robot.port}/cgi-bin/webhook/send?key=a", {"a": 1}, timeout=2)
    assert answer["errcode"] == 0 and lookups == ["qyapi.weixin.qq.com"]
    path, headers, _body = robot.requests[0]
    assert path == "/cgi-bin/webhook/send?key=a" and headers["Host"] == f"qyapi.weixin.qq.com:{robot.port}"


def test_a_redirect_is_not_followed(county, rules, robot):
    from tests.notifications.conftest import RobotServer

    elsewhere = RobotServer()
    try:
        robot.default = (302, b"")
        robot.extra_headers = {"Location": elsewhere.url("/internal")}
        w = robot_for(county.v11, robot)
        make_task(county.v11, D)
        run()
        assert len(robot.requests) == 1 and elsewhere.requests == []
        w.refresh_from_db()
        assert w.status == Webhook.Status.DISABLED and "302" in w.disabled_reason
    finally:
        elsewhere.close()
