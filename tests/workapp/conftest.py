"""The work apps' fakes (workapp.fake) on loopback, the settings pointed at them; HTTP on
loopback is allowed the way the robots' tests allow it."""

import pytest

from tests.notifications.conftest import allow_loopback_robots, rules, send_now  # noqa: F401
from django.core.cache import cache

from workapp.client import for_provider
from workapp.fake import DingTalkFake, WeComFake

USERS = ["zhangsan", "lisi", "wangwu"]


def _point(settings, fake, provider):
    allow_loopback_robots(settings)
    settings.QINGDAN_WORKAPP_TIMEOUT = 0.5
    settings.QINGDAN_SITE_URL = "http://testserver"
    fake.slow_seconds = 1.0
    if provider == "wecom":
        settings.QINGDAN_WECOM_CORP_ID = fake.corp_id
        settings.QINGDAN_WECOM_SECRET = fake.secret
        settings.QINGDAN_WECOM_AGENT_ID = "1000002"
        settings.QINGDAN_WECOM_API_URL = fake.base
        settings.QINGDAN_WECOM_AUTHORIZE_URL = f"{fake.base}/connect/oauth2/authorize"
    else:
        settings.QINGDAN_DINGTALK_APP_KEY = fake.corp_id
        settings.QINGDAN_DINGTALK_CORP_ID = fake.org_corp_id
        settings.QINGDAN_DINGTALK_APP_SECRET = fake.secret
        settings.QINGDAN_DINGTALK_AGENT_ID = "2000001"
        settings.QINGDAN_DINGTALK_API_URL = fake.base
        settings.QINGDAN_DINGTALK_AUTHORIZE_URL = f"{fake.base}/_auth"
    # a port the OS gave an earlier fake: forget that fake's token (the cache outlives a test)
    client = for_provider(provider)
    cache.delete(client.token_key(fake.secret))


@pytest.fixture
def wecom(settings, db):
    fake = WeComFake(corp_id="ww-fake-corp", secret="wecom-secret", users=USERS).serve()
    _point(settings, fake, "wecom")
    yield fake
    fake.close()


@pytest.fixture
def dingtalk(settings, db):
    fake = DingTalkFake(corp_id="ding-fake-key", secret="ding-secret", users=USERS).serve()
    _point(settings, fake, "dingtalk")
    yield fake
    fake.close()


@pytest.fixture(params=["wecom", "dingtalk"])
def provider(request, settings, db):
    """Each provider in turn: (code, its fake)."""
    fake = request.getfixturevalue(request.param)
    return request.param, fake
