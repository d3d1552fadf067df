"""Signing in from a work app, against the fakes over HTTP: the redirect to the provider, back with
code and state, onto 我的任务; every refusal a clear Chinese page that signs nobody in."""

import http.client
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Membership
from tests.county import PASSWORD
from workapp.models import Binding, UsedCode

pytestmark = pytest.mark.django_db


def location_from_fake(url: str) -> str:
    """Open the provider's page like a browser (no redirect followed): where it sends us back."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.request("GET", f"{parts.path}?{parts.query}")
    response = conn.getresponse()
    assert response.status == 302, response.read()[:200]
    location = response.getheader("Location")
    conn.close()
    return location


def back_from_provider(client, provider, next_url="/tasks/mine/"):
    """Start signing in; return the callback URL (path + query) the provider sent the browser to."""
    start = client.get(reverse("workapp:start", kwargs={"provider": provider}), {"next": next_url})
    assert start.status_code == 302
    back = urlsplit(location_from_fake(start["Location"]))
    assert back.path == reverse("workapp:callback", kwargs={"provider": provider})
    return f"{back.path}?{back.query}"


def bind(user, provider, userid):
    return Binding.objects.create(user=user, provider=provider, userid=userid, via=Binding.Via.IMPORT)


def signed_in(client):
    return "_auth_user_id" in client.session


def test_the_whole_sign_in_lands_on_my_tasks_and_is_audited_with_its_source(county, client, provider):
    code, fake = provider
    bind(county.v11_clerk, code, "zhangsan")
    fake.phone_user = "zhangsan"
    start = client.get(reverse("workapp:start", kwargs={"provider": code}), {"next": "/tasks/mine/"})
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["redirect_uri"] == [f"http://testserver/workapp/{code}/callback/"] and query["state"][0]
    if code == "wecom":
        assert start["Location"].endswith("#wechat_redirect") and query["scope"] == ["snsapi_base"]
        assert query["appid"] == ["ww-fake-corp"] and query["agentid"] == ["1000002"]
    response = client.get(back_from_provider(client, code))
    assert response.status_code == 302 and response["Location"] == "/tasks/mine/"
    assert client.session["_auth_user_id"] == str(county.v11_clerk.pk)
    login = AuditEvent.objects.filter(action="auth.login").latest("id")
    assert login.actor_id == county.v11_clerk.pk and login.detail["source"] == f"workapp:{code}"
    assert client.get("/tasks/mine/").status_code == 200


def test_the_link_of_a_message_opens_its_task_after_signing_in(county, client, wecom):
    bind(county.v11_clerk, "wecom", "zhangsan")
    response = client.get(back_from_provider(client, "wecom", next_url="/tasks/42/"))
    assert response["Location"] == "/tasks/42/"


def test_a_next_outside_the_site_goes_to_my_tasks(county, client, wecom):
    bind(county.v11_clerk, "wecom", "zhangsan")
    for target in ("https://evil.example/x", "//evil.example/x", "javascript:alert(1)"):
        client.cookies.clear()
        response = client.get(back_from_provider(client, "wecom", next_url=target))
        assert response["Location"] == "/tasks/mine/", target


def test_a_replayed_code_is_refused_even_if_the_provider_would_accept_it(county, client, wecom):
    bind(county.v11_clerk, "wecom", "zhangsan")
    wecom.codes_reusable = True
    first = back_from_provider(client, "wecom")
    assert client.get(first).status_code == 302
    client.logout()
    old_code = parse_qs(urlsplit(first).query)["code"][0]
    fresh = parse_qs(urlsplit(back_from_provider(client, "wecom")).query)  # a new state in this session
    replay = client.get(reverse("workapp:callback", kwargs={"provider": "wecom"}),
                        {"code": old_code, "state": fresh["state"][0]})
    assert replay.status_code == 400 and "此登录码已经用过" in replay.content.decode()
    assert not signed_in(client)
    assert AuditEvent.objects.filter(action="auth.workapp_refused", detail__reason="replayed").exists()


def test_a_forged_code_is_refused(county, client, provider):
    code, fake = provider
    bind(county.v11_clerk, code, "zhangsan")
    back = parse_qs(urlsplit(back_from_provider(client, code)).query)
    response = client.get(reverse("workapp:callback", kwargs={"provider": code}),
                          {"code": "forged-code-123", "state": back["state"][0]})
    assert response.status_code == 400 and "工作平台不认可此登录码" in response.content.decode()
    assert not signed_in(client)


@pytest.mark.parametrize("state", ["", "wrong-state"])
def test_a_wrong_or_missing_state_is_refused_and_the_code_not_spent(county, client, wecom, state):
    bind(county.v11_clerk, "wecom", "zhangsan")
    back = parse_qs(urlsplit(back_from_provider(client, "wecom")).query)
    response = client.get(reverse("workapp:callback", kwargs={"provider": "wecom"}),
                          {"code": back["code"][0], "state": state})
    assert response.status_code == 400 and "不是从本系统发起的" in response.content.decode()
    assert not signed_in(client) and not UsedCode.objects.exists()
    assert wecom.api_calls("/cgi-bin/auth/getuserinfo") == 0


def test_a_callback_from_another_browser_has_no_state_to_match(county, client, wecom):
    bind(county.v11_clerk, "wecom", "zhangsan")
    url = back_from_provider(client, "wecom")
    client.cookies.clear()  # the attacker's browser: the victim's state is not in its session
    response = client.get(url)
    assert response.status_code == 400 and not signed_in(client)


def test_an_unknown_user_id_gets_a_clear_page_and_no_new_account(county, client, wecom):
    from accounts.models import User

    users = User.objects.count()
    wecom.phone_user = "wangwu"
    response = client.get(back_from_provider(client, "wecom"))
    page = response.content.decode()
    assert response.status_code == 403 and "尚未绑定" in page and "系统不会新建账号" in page
    assert User.objects.count() == users and not signed_in(client)
    # signing in once with the password and confirming binds the account
    client.post(reverse("accounts:login"), {"username": "v11_disc", "password": PASSWORD})
    confirm = client.get(reverse("workapp:bind"))
    assert "wangwu" in confirm.content.decode()
    done = client.post(reverse("workapp:bind"), {"userid": "wangwu"})
    assert done.status_code == 302
    assert Binding.objects.get(provider="wecom", userid="wangwu").user == county.v11_disc
    assert AuditEvent.objects.filter(action="workapp.bound", actor=county.v11_disc).exists()
    # from now on the work app signs them in
    client.logout()
    assert client.get(back_from_provider(client, "wecom")).status_code == 302
    assert client.session["_auth_user_id"] == str(county.v11_disc.pk)


def test_binding_needs_a_pending_user_id_and_a_free_one(county, client, wecom):
    client.force_login(county.v11_disc)
    assert client.post(reverse("workapp:bind"), {"userid": "zhangsan"}).status_code == 302
    assert not Binding.objects.exists()
    bind(county.v11_clerk, "wecom", "wangwu")
    session = client.session
    session["workapp_pending"] = {"provider": "wecom", "userid": "wangwu", "at": __import__("time").time()}
    session.save()
    client.post(reverse("workapp:bind"), {"userid": "wangwu"})
    assert Binding.objects.get(userid="wangwu").user == county.v11_clerk  # unchanged


def test_an_ended_membership_or_a_disabled_account_cannot_sign_in(county, client, wecom):
    from datetime import date

    bind(county.v11_clerk, "wecom", "zhangsan")
    Membership.objects.filter(user=county.v11_clerk).update(end_date=date(2021, 1, 1))
    response = client.get(back_from_provider(client, "wecom"))
    assert response.status_code == 403 and "任职已结束" in response.content.decode() and not signed_in(client)
    bind(county.t1_clerk, "wecom", "lisi")
    county.t1_clerk.is_active = False
    county.t1_clerk.save()
    wecom.phone_user = "lisi"
    response = client.get(back_from_provider(client, "wecom"))
    assert response.status_code == 403 and "已停用" in response.content.decode() and not signed_in(client)


def test_a_locked_out_account_stays_locked(county, client, wecom):
    bind(county.v11_clerk, "wecom", "zhangsan")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "v11_clerk", "password": "Wrong-pass-1"})
    response = client.get(back_from_provider(client, "wecom"))
    assert response.status_code == 429 and not signed_in(client)


@pytest.mark.parametrize("fault", ["html", "garbage", "http500", "timeout", "rate_limit"])
def test_a_provider_that_answers_badly_gets_a_clear_page(county, client, wecom, dingtalk, fault):
    for code, fake in (("wecom", wecom), ("dingtalk", dingtalk)):
        client.cookies.clear()  # a browser of its own for each provider
        bind(county.v11_clerk, code, "zhangsan")
        url = back_from_provider(client, code)
        fake.fail_next(fault)
        response = client.get(url)
        assert response.status_code == 503 and "暂时无法连接工作平台" in response.content.decode(), code
        assert not signed_in(client), code


def test_a_wrong_secret_gets_a_clear_page(county, client, wecom):
    bind(county.v11_clerk, "wecom", "zhangsan")
    wecom.secret = "changed"
    response = client.get(back_from_provider(client, "wecom"))
    assert response.status_code == 503 and not signed_in(client)


def test_a_provider_not_configured_has_no_sign_in(client, settings):
    settings.QINGDAN_WECOM_CORP_ID = ""
    assert client.get(reverse("workapp:start", kwargs={"provider": "wecom"})).status_code == 404
    assert client.get(reverse("workapp:start", kwargs={"provider": "nonesuch"})).status_code == 404
    assert "从企业微信登录" not in client.get(reverse("accounts:login")).content.decode()


def test_the_login_page_offers_the_configured_work_apps_and_the_password_still_works(county, client, wecom):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "从企业微信登录" in page and "从钉钉登录" not in page
    response = client.post(reverse("accounts:login"), {"username": "t1_party", "password": PASSWORD})
    assert response.status_code == 302 and signed_in(client)
    assert AuditEvent.objects.filter(action="auth.login").latest("id").detail["source"] == "password"


def test_a_signed_in_person_following_a_message_link_goes_straight_to_the_task(county, client, wecom):
    client.force_login(county.v11_clerk)
    response = client.get(reverse("workapp:start", kwargs={"provider": "wecom"}), {"next": "/tasks/7/"})
    assert response.status_code == 302 and response["Location"] == "/tasks/7/" and not wecom.calls


@pytest.mark.parametrize("counts", [False, True])
def test_for_county_staff_the_work_app_is_the_second_factor_only_where_the_county_says_so(
        county, client, wecom, settings, counts):
    from tests.twofactor import device_for

    settings.QINGDAN_WORKAPP_COUNTS_AS_SECOND_FACTOR = counts
    device_for(county.staff)  # enrolled: without the work app's say-so he is asked for his code
    bind(county.staff, "wecom", "lisi")
    wecom.phone_user = "lisi"
    response = client.get(back_from_provider(client, "wecom"))
    assert response["Location"] == "/tasks/mine/" and signed_in(client)
    mine = client.get("/tasks/mine/")
    if counts:
        assert mine.status_code == 200
        assert AuditEvent.objects.filter(action="otp.verified", actor=county.staff, detail__method="workapp").exists()
    else:
        assert mine.status_code == 302 and mine["Location"].startswith(reverse("accounts:otp_verify"))
