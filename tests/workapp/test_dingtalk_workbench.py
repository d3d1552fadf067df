"""The 钉钉 workbench page: the page's state, the 免登 code the 钉钉 client gives (the fake's client
endpoint stands in for it) posted back with CSRF, exchanged through topapi/v2/user/getuserinfo;
the same refusals as the redirect sign-in. The browser walk is in test_browser.py."""

import json
import re
import urllib.request
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from workapp.models import Binding, UsedCode

pytestmark = pytest.mark.django_db

WORKBENCH = "/workapp/dingtalk/workbench/"
GETUSERINFO = "/topapi/v2/user/getuserinfo"


def client_code(fake, userid="zhangsan", corp_id=None) -> dict:
    """What the 钉钉 client answers ``requestAuthCode({corpId})`` for the person on the phone."""
    query = urlencode({"corpId": corp_id or fake.org_corp_id, "as": userid})
    with urllib.request.urlopen(f"{fake.base}{fake.CLIENT_PATH}?{query}", timeout=5) as answer:
        return json.loads(answer.read())


def open_page(client, next_url=None) -> str:
    """The workbench page as the 钉钉 client opens it; returns its state."""
    page = client.get(WORKBENCH, {"next": next_url} if next_url else {})
    assert page.status_code == 200
    return re.search(r'name="state" value="([^"]+)"', page.content.decode()).group(1)


def signed_in(client):
    return "_auth_user_id" in client.session


def test_the_page_asks_the_client_and_the_code_signs_the_person_in(county, client, dingtalk):
    Binding.objects.create(user=county.v11_clerk, provider="dingtalk", userid="zhangsan", via="import")
    page = client.get(WORKBENCH, {"next": "/tasks/42/"})
    html = page.content.decode()
    assert f'data-corp-id="{dingtalk.org_corp_id}"' in html and "csrfmiddlewaretoken" in html
    assert "vendor/dingtalk-jsapi/dingtalk.min.js" in html and "js/dingtalk-signin.js" in html
    assert "<script>" not in html  # no inline script (strict CSP)
    assert "请在钉钉工作台中打开本页面" in html  # shown by the script outside 钉钉
    state = re.search(r'name="state" value="([^"]+)"', html).group(1)
    response = client.post(WORKBENCH, {"code": client_code(dingtalk)["code"], "state": state})
    assert response.status_code == 302 and response["Location"] == "/tasks/42/"
    assert client.session["_auth_user_id"] == str(county.v11_clerk.pk)
    login = AuditEvent.objects.filter(action="auth.login").latest("id")
    assert login.actor_id == county.v11_clerk.pk and login.detail["source"] == "workapp:dingtalk"
    assert dingtalk.api_calls(GETUSERINFO) == 1
    # signed in: the workbench page goes straight on
    assert client.get(WORKBENCH, {"next": "/tasks/mine/"})["Location"] == "/tasks/mine/"


def test_start_without_an_authorisation_page_sends_the_browser_to_the_workbench_page(county, client, dingtalk,
                                                                                      settings):
    settings.QINGDAN_DINGTALK_AUTHORIZE_URL = ""
    response = client.get(reverse("workapp:start", kwargs={"provider": "dingtalk"}), {"next": "/tasks/7/"})
    assert response.status_code == 302 and response["Location"] == f"{WORKBENCH}?next=%2Ftasks%2F7%2F"


def test_the_client_refuses_a_wrong_corp_id_and_a_stranger(dingtalk):
    assert client_code(dingtalk, corp_id="ding-other")["errorCode"] == "7"
    assert client_code(dingtalk, userid="outsider")["errorCode"] == "3"


def test_a_forged_code_is_refused_by_the_provider(county, client, dingtalk):
    Binding.objects.create(user=county.v11_clerk, provider="dingtalk", userid="zhangsan", via="import")
    response = client.post(WORKBENCH, {"code": "forged-code-123", "state": open_page(client)})
    assert response.status_code == 400 and "工作平台不认可此登录码" in response.content.decode()
    assert not signed_in(client) and dingtalk.api_calls(GETUSERINFO) == 1
    assert AuditEvent.objects.filter(action="auth.workapp_refused", detail__reason="code_refused").exists()


def test_a_used_code_is_refused_here_and_at_the_provider(county, client, dingtalk):
    Binding.objects.create(user=county.v11_clerk, provider="dingtalk", userid="zhangsan", via="import")
    code = client_code(dingtalk)["code"]
    assert client.post(WORKBENCH, {"code": code, "state": open_page(client)}).status_code == 302
    client.logout()
    replay = client.post(WORKBENCH, {"code": code, "state": open_page(client)})
    assert replay.status_code == 400 and "此登录码已经用过" in replay.content.decode() and not signed_in(client)
    assert dingtalk.api_calls(GETUSERINFO) == 1  # refused before the provider is asked
    UsedCode.objects.all().delete()  # even when this side forgot it, the provider refuses it (40078)
    again = client.post(WORKBENCH, {"code": code, "state": open_page(client)})
    assert again.status_code == 400 and "工作平台不认可此登录码" in again.content.decode() and not signed_in(client)


def test_an_unknown_user_id_gets_the_unbound_page_and_no_account(county, client, dingtalk):
    from accounts.models import User

    users = User.objects.count()
    response = client.post(WORKBENCH, {"code": client_code(dingtalk, "lisi")["code"], "state": open_page(client)})
    assert response.status_code == 403 and "尚未绑定" in response.content.decode()
    assert not signed_in(client) and User.objects.count() == users
    assert AuditEvent.objects.filter(action="auth.workapp_refused", detail__reason="unbound",
                                     detail__userid="lisi").exists()


def test_a_provider_answering_garbage_is_a_clear_page(county, client, dingtalk):
    Binding.objects.create(user=county.v11_clerk, provider="dingtalk", userid="zhangsan", via="import")
    for fault in ("garbage", "html", "http500"):
        dingtalk.fail_next(fault, path=GETUSERINFO)
        response = client.post(WORKBENCH, {"code": client_code(dingtalk)["code"], "state": open_page(client)})
        assert response.status_code == 503 and "暂时无法连接工作平台" in response.content.decode(), fault
        assert not signed_in(client), fault


def test_a_code_that_is_no_code_is_refused_without_asking_the_provider(client, dingtalk):
    for code in ("", "x" * 600, "a\x00b"):
        response = client.post(WORKBENCH, {"code": code, "state": open_page(client)})
        assert response.status_code == 400 and not signed_in(client), repr(code)
    assert dingtalk.api_calls(GETUSERINFO) == 0


def test_a_wrong_state_or_no_csrf_token_is_refused(county, dingtalk):
    Binding.objects.create(user=county.v11_clerk, provider="dingtalk", userid="zhangsan", via="import")
    browser = Client()
    open_page(browser)
    wrong = browser.post(WORKBENCH, {"code": client_code(dingtalk)["code"], "state": "forged"})
    assert wrong.status_code == 400 and "不是从本系统发起的" in wrong.content.decode()
    strict = Client(enforce_csrf_checks=True)
    state = open_page(strict)
    no_token = strict.post(WORKBENCH, {"code": client_code(dingtalk)["code"], "state": state})
    assert no_token.status_code == 403 and "_auth_user_id" not in strict.session
    assert dingtalk.api_calls(GETUSERINFO) == 0


def test_without_a_corp_id_the_page_says_so(county, client, dingtalk, settings):
    settings.QINGDAN_DINGTALK_CORP_ID = ""
    page = client.get(WORKBENCH)
    assert page.status_code == 200 and "CorpId" in page.content.decode()
    assert "dingtalk-signin.js" not in page.content.decode()
