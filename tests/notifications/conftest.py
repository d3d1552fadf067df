import socket
from datetime import datetime, time
from http.server import BaseHTTPRequestHandler
from zoneinfo import ZoneInfo

import pytest

from django.db.models import Q

from notifications.loopback import LoopbackServer
from notifications.models import InboxMessage, ReminderSettings

SHANGHAI = ZoneInfo("Asia/Shanghai")


def bj(y, m, d, hh=10, mm=0) -> datetime:
    """A Beijing wall-clock moment (aware)."""
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def inbox_about(task, **filters):
    """The inbox messages telling of ``task``: its own, or a person's grouped reminder listing it."""
    return InboxMessage.objects.filter(Q(task=task) | Q(items__contains=[{"task": task.pk}]), **filters)


@pytest.fixture
def rules(db):
    obj = ReminderSettings.load()
    return obj


@pytest.fixture
def send_now(rules):
    """Task reminders are sendable at any hour (send_time 00:00)."""
    ReminderSettings.objects.filter(pk=rules.pk).update(send_time=time(0, 0))
    rules.refresh_from_db()
    return rules


class RobotServer(LoopbackServer):
    """A local stand-in for the WeCom / DingTalk robot endpoint (http.server on 127.0.0.1)."""

    def __init__(self):
        self.requests = []  # (path, headers, body bytes)
        self.responses = []  # queued (status, body) — last one repeats
        self.default = (200, b'{"errcode": 0, "errmsg": "ok"}')
        self.delay = 0.0
        self.extra_headers = {}  # sent with every answer, e.g. {"Location": ...}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                server.requests.append((self.path, dict(self.headers), body))
                if server.delay:
                    import time as _t
                    _t.sleep(server.delay)
                status, payload = server.responses.pop(0) if server.responses else server.default
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in server.extra_headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.listen(Handler)
        self.serve()

    def url(self, path="/cgi-bin/webhook/send?key=test-key"):
        return f"{self.base}{path}"


def allow_loopback_robots(settings):
    """The one place tests let a robot sit on loopback over http: production refuses both."""
    settings.QINGDAN_WEBHOOK_ALLOWED_HOSTS = ["qyapi.weixin.qq.com", "oapi.dingtalk.com", "127.0.0.1", "localhost"]
    settings.QINGDAN_WEBHOOK_ALLOW_HTTP = True
    settings.QINGDAN_WEBHOOK_ALLOW_PRIVATE = True
    return settings


@pytest.fixture
def loopback_robots(settings):
    return allow_loopback_robots(settings)


@pytest.fixture
def robot(loopback_robots):
    server = RobotServer()
    yield server
    server.close()


@pytest.fixture
def closed_port(loopback_robots):
    """A local port nobody listens on (robots on loopback allowed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def sms_gateway(settings):
    """The fake SMS gateway (notifications/fake_sms.py), configured as the site's gateway."""
    from notifications.fake_sms import KEY, SIGN, TEMPLATE, SmsGateway

    gateway = SmsGateway()
    # a loaded test machine may take a good part of a second to answer: only the "slow" failure
    # may pass the timeout, or a failure queued for one request is taken by the next
    gateway.slow_seconds = 3.0
    settings.QINGDAN_SMS_URL = gateway.url
    settings.QINGDAN_SMS_API_KEY, settings.QINGDAN_SMS_SIGN, settings.QINGDAN_SMS_TEMPLATE_ID = KEY, SIGN, TEMPLATE
    settings.QINGDAN_SMS_TIMEOUT = 2
    settings.QINGDAN_SITE_URL = "https://qingdan.example.gov.cn"
    yield gateway
    gateway.close()


def wants_sms(user, mobile="13800138000"):
    """``user`` has a mobile number and chose SMS."""
    from notifications.models import Preference

    user.mobile = mobile
    user.save()
    Preference.objects.update_or_create(user=user, defaults={"sms_enabled": True})
    return user


def sweep_and_send(moment):
    """One sweep and one sender run at ``moment`` (the clock stopped there)."""
    from notifications.services import deliver_due, run_sweep
    from tests.clock import travel

    with travel(moment):
        run_sweep()
        return deliver_due()
