"""The sign-in policy the security administrator sets in the administration site: the lockout
(failures, minutes) and the password age, each falling back to the server's setting; audited;
nobody else may open it."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts import policy
from accounts.models import AuditEvent, SecurityPolicy, User
from accounts.roles import AdminRole
from tests.county import PASSWORD, make_user

from .conftest import at

pytestmark = pytest.mark.django_db

ADD = reverse("admin:accounts_securitypolicy_add")
CHANGE = reverse("admin:accounts_securitypolicy_change", args=[1])
LIST = reverse("admin:accounts_securitypolicy_changelist")


@pytest.fixture
def security_admin(county):
    return make_user("sec_policy", admin_role=AdminRole.SECURITY)


def set_policy(client, who, **values):
    client.force_login(who)
    fields = {"login_failure_limit": "", "lockout_minutes": "", "password_max_age_days": "", **values}
    url = CHANGE if SecurityPolicy.objects.exists() else ADD
    response = client.post(url, fields)
    client.post(reverse("accounts:logout"))
    return response


def test_without_a_row_the_server_settings_hold(settings):
    policy.forget()
    assert policy.current() == policy.Policy(settings.QINGDAN_LOGIN_FAILURE_LIMIT, settings.QINGDAN_LOCKOUT_MINUTES,
                                             settings.QINGDAN_PASSWORD_MAX_AGE_DAYS)


def test_the_security_administrator_sets_the_lockout_and_it_holds(county, client, form_login, security_admin):
    client.force_login(security_admin)
    assert client.get(LIST).status_code == 200 and client.get(ADD).status_code == 200
    response = set_policy(client, security_admin, login_failure_limit=3, lockout_minutes=7)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="security.policy_changed")
    assert event.actor_id == security_admin.pk and event.detail["login_failure_limit"] == 3
    assert policy.current() == policy.Policy(3, 7, 90)
    with time_machine.travel(at(2026, 11, 23, 9), tick=False) as traveller:
        for _ in range(2):
            r = form_login("t1_disc", "wrong-Password1")
            assert r.status_code == 200 and "连续失败 3 次后账号将被锁定 7 分钟" in r.content.decode()
        r = form_login("t1_disc", "wrong-Password1")
        assert r.status_code == 429 and "锁定 7 分钟" in r.content.decode(), "the third failure locks"
        traveller.shift(timedelta(minutes=6))
        assert form_login("t1_disc", PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=2))
        assert form_login("t1_disc", PASSWORD).status_code == 302


def test_an_empty_field_keeps_the_server_setting_and_the_password_age_follows(county, client, security_admin):
    set_policy(client, security_admin, password_max_age_days=10)
    assert policy.current() == policy.Policy(5, 30, 10)
    User.objects.filter(pk=county.t1_disc.pk).update(password_changed_at=at(2026, 11, 18, 10) - timedelta(days=11))
    client.force_login(User.objects.get(pk=county.t1_disc.pk))
    assert client.get("/tasks/mine/")["Location"].startswith(reverse("accounts:password_change"))


def test_one_row_only_and_never_deleted(county, client, security_admin):
    set_policy(client, security_admin, lockout_minutes=20)
    client.force_login(security_admin)
    assert client.get(LIST).status_code == 200 and client.get(CHANGE).status_code == 200
    assert client.get(ADD).status_code == 403
    assert client.post(reverse("admin:accounts_securitypolicy_delete", args=[1]), {"post": "yes"}).status_code == 403
    assert SecurityPolicy.objects.count() == 1


def test_out_of_range_values_are_refused_in_chinese(county, client, security_admin):
    client.force_login(security_admin)
    response = client.post(ADD, {"login_failure_limit": "0", "lockout_minutes": "99999", "password_max_age_days": "-1"})
    assert response.status_code == 200 and not SecurityPolicy.objects.exists()
    page = response.content.decode()
    assert "大于或等于" in page and "小于或等于" in page


@pytest.mark.parametrize("who", ["system", "audit", "staff", "superuser_none"])
def test_nobody_else_opens_or_changes_it(county, client, who):
    user = {"system": lambda: make_user("sys_p", admin_role=AdminRole.SYSTEM),
            "audit": lambda: make_user("aud_p", admin_role=AdminRole.AUDIT),
            "staff": lambda: county.staff,
            "superuser_none": lambda: county.t1_disc}[who]()
    client.force_login(user)
    assert client.get(LIST).status_code in (302, 403)
    response = client.post(ADD, {"login_failure_limit": "1", "lockout_minutes": "1", "password_max_age_days": "1"})
    assert response.status_code in (302, 403) and not SecurityPolicy.objects.exists()
    if response.status_code == 302:  # not an administrator: sent to the admin's sign-in
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("setting", [False, True])
def test_the_security_administrator_decides_whether_the_work_app_counts_as_the_second_factor(
        county, client, security_admin, settings, rf, setting):
    from django.contrib.sessions.backends.db import SessionStore

    from accounts import twofactor

    settings.QINGDAN_WORKAPP_COUNTS_AS_SECOND_FACTOR = setting
    assert policy.workapp_counts_as_second_factor() is setting, "no choice made: the server's setting"
    response = set_policy(client, security_admin, workapp_counts_as_second_factor=str(not setting))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="security.policy_changed")
    assert event.actor_id == security_admin.pk and event.detail["workapp_counts_as_second_factor"] is (not setting)
    assert policy.workapp_counts_as_second_factor() is (not setting), "the policy's choice overrides the setting"

    request = rf.get("/")
    request.user, request.session = county.staff, SessionStore()
    request.user.otp_device = None
    assert twofactor.mark_verified_by(request, "wecom") is (not setting)
    assert twofactor.is_verified(request) is (not setting)
    assert twofactor.missing_step(request) == (None if not setting else "enrol")

    set_policy(client, security_admin, workapp_counts_as_second_factor="")
    assert policy.workapp_counts_as_second_factor() is setting, "emptied: the server's setting again"


def test_the_work_app_choice_is_offered_in_chinese(county, client, security_admin):
    client.force_login(security_admin)
    page = client.get(ADD).content.decode()
    assert "企业微信、钉钉登录视为第二因素" in page and "使用服务器配置" in page
