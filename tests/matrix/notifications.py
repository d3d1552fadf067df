"""Every URL of the notifications app × role → expected status.

Same format as tests/matrix/responsibilities.py: ``setup(county)`` builds the objects
the URLs point at and returns their ids; ``kwargs`` names those ids ("=literal" for a
literal value); ``data`` is the POST body of a successful write by the owner.

Roles:
* ``staff`` — county commission staff: reminder settings, robots and the delivery log;
* ``t1_party`` — town 1's party secretary: owns ``msg`` (their inbox message); sees
  town 1's robot in scope but cannot manage it (403);
* ``t2_disc`` — another town: town 1's robot and t1_party's message are 404;
* ``nobody`` — no role: own inbox and preferences only; staff pages 403; objects 404.
Anonymous users are redirected to the login page everywhere (302).
"""

from dataclasses import dataclass, field
from datetime import date

APP = "notifications"


@dataclass
class Route:
    name: str
    method: str = "GET"
    kwargs: dict = field(default_factory=dict)
    data: dict | None = None
    expect: dict = field(default_factory=dict)


EVERYONE = {"staff": 200, "t1_party": 200, "t2_disc": 200, "nobody": 200}
EVERYONE_WRITE = {"staff": 302, "t1_party": 302, "t2_disc": 302, "nobody": 302}
STAFF_ONLY = {"t1_party": 403, "t2_disc": 403, "nobody": 403}
OWN_MESSAGE = {"t1_party": 302, "staff": 404, "t2_disc": 404, "nobody": 404}
TOWN1_ROBOT = {"t1_party": 403, "t2_disc": 404, "nobody": 404}

SETTINGS_POST = {
    "due_soon_days": "7, 3, 1", "remind_on_due_date": "on", "overdue_repeat_days": 2, "escalate_after_days": 5,
    "escalate_again_after_days": 10, "send_time": "08:00", "digest_enabled": "on", "digest_weekday": 0,
    "digest_time": "09:00", "holiday_enabled": "on", "holiday_days_before": 3,
    "holiday_text": "{holiday}将至，请严守纪律。", "version": 1,
}

ROUTES = [
    Route("inbox", expect=EVERYONE),
    Route("open", "POST", kwargs={"pk": "msg"}, expect=OWN_MESSAGE),
    Route("read", "POST", kwargs={"pk": "msg"}, expect=OWN_MESSAGE),
    Route("read_all", "POST", expect=EVERYONE_WRITE),
    Route("preferences", expect=EVERYONE),
    Route("preferences", "POST", data={"email_enabled": "on", "muted_kinds": ["digest"]}, expect=EVERYONE_WRITE),
    Route("settings", expect={"staff": 200, **STAFF_ONLY}),
    Route("settings", "POST", data=SETTINGS_POST, expect={"staff": 302, **STAFF_ONLY}),
    Route("webhooks", expect={"staff": 200, **STAFF_ONLY}),
    Route("webhook_create", expect={"staff": 200, **STAFF_ONLY}),
    Route("webhook_create", "POST",
          data={"org": "@v12", "kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=new", "secret": "SECnew"},
          expect={"staff": 302, **STAFF_ONLY}),
    Route("webhook_edit", kwargs={"pk": "robot"}, expect={"staff": 200, **TOWN1_ROBOT}),
    Route("webhook_edit", "POST", kwargs={"pk": "robot"},
          data={"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=changed", "version": 1},
          expect={"staff": 302, **TOWN1_ROBOT}),
    Route("webhook_action", "POST", kwargs={"pk": "robot", "action": "=disable"}, expect={"staff": 302, **TOWN1_ROBOT}),
    Route("webhook_action", "POST", kwargs={"pk": "robot", "action": "=remove"}, expect={"staff": 302, **TOWN1_ROBOT}),
    Route("log", expect={"staff": 200, **STAFF_ONLY}),
    Route("retry", "POST", kwargs={"pk": "failed_row"}, expect={"staff": 302, **STAFF_ONLY}),
]


def setup(county) -> dict:
    """Objects the routes point at; returns {key: id}."""
    from django.utils import timezone

    from notifications.models import InboxMessage, Outbox, ReminderSettings, Webhook

    ReminderSettings.load()
    robot = Webhook.objects.create(org=county.town1, kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key")
    msg = InboxMessage.objects.create(user=county.t1_party, kind="due_today", title="今日到期：召开专题会议", link="/tasks/1/")
    for name in ("staff", "t2_disc", "nobody"):  # everyone has something unread (read_all changes something)
        InboxMessage.objects.create(user=county.users[name], kind="system", title="通知")
    failed = Outbox.objects.create(
        key=f"system:test:{county.staff.pk}:inapp", kind="system", channel="inapp", business_date=date(2026, 1, 5),
        recipient=county.staff, due_at=timezone.now(), state="failed", last_error="boom", data={"title": "测试"},
    )
    return {"robot": robot.pk, "msg": msg.pk, "failed_row": failed.pk, "v12": county.v12.pk}
