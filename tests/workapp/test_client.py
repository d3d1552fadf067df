"""The work-app API clients against the local fakes, over HTTP on loopback: the token cached and
shared, refreshed once when it expires mid-run, and every kind of bad answer sorted."""

import pytest

from workapp.client import ApiError, for_provider

GETTOKEN = {"wecom": "/cgi-bin/gettoken", "dingtalk": "/gettoken"}
USERINFO = {"wecom": "/cgi-bin/auth/getuserinfo", "dingtalk": "/topapi/v2/user/getuserinfo"}
SEND = {"wecom": "/cgi-bin/message/send", "dingtalk": "/topapi/message/corpconversation/asyncsend_v2"}


def card(client, userid="zhangsan", title="今日到期：召开专题会议"):
    return client.send_card(userid, title=title, description="东村 · 2024年第2季度", url="http://testserver/tasks/1/")


def test_the_token_is_fetched_once_and_shared_by_every_client(provider):
    code, fake = provider
    card(for_provider(code), title="一")
    card(for_provider(code), title="二")  # another instance (another process): the shared cache
    assert fake.api_calls(GETTOKEN[code]) == 1
    assert fake.api_calls(SEND[code]) == 2
    assert [m["title"] for m in fake.messages] == ["一", "二"]


def test_a_token_that_expires_mid_run_is_fetched_again_once_and_the_call_repeated(provider):
    code, fake = provider
    client = for_provider(code)
    card(client, title="一")
    fake.expire_tokens()
    card(client, title="二")
    assert fake.api_calls(GETTOKEN[code]) == 2
    assert fake.api_calls(SEND[code]) == 3  # the refused call and its repetition
    assert [m["title"] for m in fake.messages] == ["一", "二"]


def test_a_token_refused_again_after_the_refresh_is_not_tried_a_third_time(provider):
    code, fake = provider
    fake.fail_next("expired", times=2)
    with pytest.raises(ApiError):
        card(for_provider(code))
    assert fake.api_calls(SEND[code]) == 2 and fake.messages == []


def test_a_wrong_secret_disables(provider, settings):
    code, fake = provider
    fake.secret = "rotated-by-the-admin"
    with pytest.raises(ApiError) as exc:
        card(for_provider(code))
    assert exc.value.disable and exc.value.errcode in (40001, 40089)
    assert fake.api_calls(SEND[code]) == 0 and fake.messages == []


@pytest.mark.parametrize("fault, fragment", [
    ("rate_limit", "繁忙"), ("http500", "HTTP 500"), ("timeout", "秒内没有应答"),
    ("html", "不是 JSON"), ("garbage", "无法识别"),
])
def test_transient_answers_are_retryable_errors(provider, fault, fragment):
    code, fake = provider
    fake.fail_next(fault)
    with pytest.raises(ApiError) as exc:
        card(for_provider(code))
    assert not exc.value.permanent and not exc.value.disable
    assert fragment in str(exc.value), str(exc.value)
    if fault == "rate_limit":
        assert exc.value.errcode in (45009, 90018)


def test_a_code_becomes_a_user_id_once(provider):
    code, fake = provider
    issued = fake.issue_code("lisi")
    assert for_provider(code).userid_for_code(issued) == "lisi"
    with pytest.raises(ApiError) as exc:
        for_provider(code).userid_for_code(issued)
    assert exc.value.permanent and not exc.value.disable and fake.api_calls(USERINFO[code]) == 2


def test_an_unknown_user_id_is_a_permanent_refusal(wecom):
    with pytest.raises(ApiError) as exc:
        card(for_provider("wecom"), userid="nobody-here")
    assert exc.value.permanent and wecom.messages == []


def test_the_card_is_what_the_documentation_asks_for(wecom, dingtalk):
    card(for_provider("wecom"))
    card(for_provider("dingtalk"))
    assert wecom.messages == [{"to": "zhangsan", "title": "今日到期：召开专题会议", "text": "东村 · 2024年第2季度",
                               "url": "http://testserver/tasks/1/", "button": "查看"}]
    (ding,) = dingtalk.messages
    assert ding["url"] == "http://testserver/tasks/1/" and ding["title"] == "今日到期：召开专题会议"


def test_an_api_host_not_configured_is_refused_before_any_connection(wecom, settings):
    settings.QINGDAN_WEBHOOK_ALLOW_PRIVATE = False  # production: a loopback host is refused
    with pytest.raises(ApiError) as exc:
        for_provider("wecom").token()
    assert exc.value.disable and wecom.calls == []


@pytest.mark.parametrize("fault", ["http500", "timeout", "html"])
def test_a_failing_gettoken_is_a_retryable_error_and_nothing_is_sent(provider, fault):
    code, fake = provider
    fake.fail_next(fault, path=GETTOKEN[code])
    with pytest.raises(ApiError) as exc:
        card(for_provider(code))
    assert not exc.value.permanent and fake.api_calls(SEND[code]) == 0
    card(for_provider(code))  # the next try fetches the token and sends
    assert len(fake.messages) == 1
