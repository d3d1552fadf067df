"""The audit administrator's viewer: who, when, what (in Chinese words, never the codes),
from where; filters; the same rows as an .xlsx; its own use audited."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import audit
from accounts.audit_labels import LABELS
from accounts.models import AuditEvent
from tests.county import make_user

pytestmark = pytest.mark.django_db

APPS = ["accounts", "api", "assessment", "binders", "inspections", "notifications", "reports", "responsibilities", "tasks"]
LITERAL = re.compile(r"""record(?:_many)?\(\s*["']([a-z_]+\.[a-z_]+)["']""")


def test_every_action_the_source_records_has_words():
    codes = set()
    for app in APPS:
        for path in Path(settings.BASE_DIR, app).rglob("*.py"):
            codes |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
    from notifications.models import Webhook
    from tasks.models import TaskEvent

    codes |= {f"tasks.{k}" for k in TaskEvent.Kind.values} | {f"notifications.webhook_{s}" for s in Webhook.Status.values}
    assert len(codes) > 60
    assert codes <= set(LABELS), sorted(codes - set(LABELS))


@pytest.fixture
def auditor(county):
    return make_user("auditor", admin_role="audit")


@pytest.fixture
def trail(county):
    """A sign-in from 10.1.2.3 yesterday, a failed one, and a break-glass change."""
    token = audit.set_request_context(ip="10.1.2.3", request_id="req-0001", user=None)
    try:
        audit.record("auth.login", user=county.t1_disc, obj=county.t1_disc)
        audit.record("auth.login_failed", result=AuditEvent.Result.FAILURE, username="=cmd|calc")
        root = make_user("root", is_superuser=True)
        audit.record("user.changed", user=root, obj=county.t1_clerk, target="t1_clerk", fields=["is_active"])
    finally:
        audit.reset_request_context(token)
    return county


def test_the_viewer_shows_who_when_what_and_where_in_chinese(client, auditor, trail, django_assert_max_num_queries):
    client.force_login(auditor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("accounts:audit_log"))
    html = page.content.decode()
    assert page.status_code == 200 and "审计日志" in html
    assert "登录系统" in html and "登录失败" in html and "修改账号" in html
    assert ">auth.login<" not in html and ">user.changed<" not in html, "codes are not shown as the operation"
    assert "t1_disc" in html and "10.1.2.3" in html and "失败" in html
    assert "紧急账号" in html
    assert AuditEvent.objects.filter(action="audit.viewed", actor=auditor).exists(), "the auditor's reading is audited"


def test_filters(client, auditor, trail):
    client.force_login(auditor)
    page = client.get(reverse("accounts:audit_log"), {"action": "auth.login_failed"}).content.decode()
    assert "登录失败" in page and "修改账号" not in page.split('id="audit-table"')[1]
    page = client.get(reverse("accounts:audit_log"), {"break_glass": "on"}).content.decode()
    rows = page.split('id="audit-table"')[1]
    assert "修改账号" in rows and "t1_disc" not in rows
    page = client.get(reverse("accounts:audit_log"), {"who": "T1_DISC", "ip": "10.1.2.3"}).content.decode()
    assert "登录系统" in page.split('id="audit-table"')[1]
    today = timezone.localdate()
    page = client.get(reverse("accounts:audit_log"), {"date_from": str(today + timedelta(days=1))}).content.decode()
    assert 'id="audit-empty"' in page, page.split('id="audit-table"')[-1][:3000]
    bad = client.get(reverse("accounts:audit_log"), {"date_from": "9999-12-31", "ip": "not-an-ip"})
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode() and 'id="audit-table"' not in bad.content.decode()
    late = client.get(reverse("accounts:audit_log"), {"date_from": str(today), "date_to": str(today - timedelta(days=1))})
    assert "结束日期早于开始日期" in late.content.decode()


def test_export_is_the_filtered_trail_in_chinese_and_is_audited(client, auditor, trail):
    client.force_login(auditor)
    response = client.get(reverse("accounts:audit_export"), {"result": "failure"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.values)
    assert rows[0][:3] == ("时间", "用户", "操作")
    assert [r[2] for r in rows[1:]] == ["登录失败"]
    assert rows[1][1] == "'=cmd|calc", "a formula-looking name is neutralised"
    assert rows[1][5] == "10.1.2.3"
    ev = AuditEvent.objects.get(action="audit.exported", actor=auditor)
    assert ev.detail["rows"] == 1 and "result=failure" in ev.detail["filters"]
    bad = client.get(reverse("accounts:audit_export"), {"date_from": "0001-01-01"})
    assert bad.status_code == 302 and not AuditEvent.objects.filter(action="audit.exported").exclude(pk=ev.pk).exists()
