"""Every URL of the workapp app × role → expected status (tests/workapp/test_matrix.py and the
extreme-params walk run the rows with SETTINGS: 企业微信 and 钉钉 configured; nothing of either
provider is contacted by these rows).

* ``start`` — anyone: anonymous visitors are sent to the provider's authorisation page, a
  signed-in person straight to ``next`` (both 302); an unknown provider is 404;
* ``callback`` — anyone; without the state this browser started with, 400 and nobody signed in;
* ``workbench`` — the 钉钉 micro-app's home page: anonymous visitors get the page (200), a
  signed-in person is sent on (302); its POST without the state this browser was given is 400
  for everyone, nobody signed in, no code spent;
* ``bind`` — the signed-in person's own binding: the page (200); a POST with nothing waiting to
  be bound changes nothing (302 back with a message). Nobody reaches anyone else's binding, so
  there is no outsider or read-only cell: every signed-in role gets the same answer.
Anonymous visitors of ``bind`` are sent to the login page.
"""

from tests.matrix import Route

APP = "workapp"

ANYONE = ("anonymous", "staff", "t1_party", "t2_disc", "nobody")
SIGNED_IN = ("staff", "t1_party", "t2_disc", "nobody")

ROUTES = [
    Route("start", kwargs={"provider": "=wecom"}, expect={u: 302 for u in ANYONE}),
    Route("start", kwargs={"provider": "=nonesuch"}, expect={u: 404 for u in ANYONE}),
    Route("callback", kwargs={"provider": "=wecom"}, data={"code": "c0de", "state": "forged"},
          expect={u: 400 for u in ANYONE}),
    Route("callback", kwargs={"provider": "=nonesuch"}, expect={u: 404 for u in ANYONE}),
    Route("workbench", expect={"anonymous": 200, **{u: 302 for u in SIGNED_IN}}),
    Route("workbench", "POST", data={"code": "c0de", "state": "forged"}, expect={u: 400 for u in ANYONE}),
    Route("bind", expect={u: 200 for u in SIGNED_IN}),
    Route("bind", "POST", data={"userid": "zhangsan"}, expect={u: 302 for u in SIGNED_IN}),
]


SETTINGS = {
    "QINGDAN_WECOM_CORP_ID": "ww-matrix",
    "QINGDAN_WECOM_AGENT_ID": "1000002",
    "QINGDAN_DINGTALK_APP_KEY": "ding-matrix",
    "QINGDAN_DINGTALK_CORP_ID": "dingmatrixcorp",
    # unreachable on purpose: a row that asked the provider would fail
    "QINGDAN_DINGTALK_API_URL": "https://dingtalk.invalid",
}


def setup(county) -> dict:
    return {}
