"""钉钉 / 政务钉钉 (an enterprise-internal app).

* ``GET  gettoken?appkey=&appsecret=`` → ``access_token``, ``expires_in`` (7200 s);
* ``POST topapi/v2/user/getuserinfo?access_token=`` ``{"code"}`` (the 免登 code) →
  ``result.userid``;
* ``POST topapi/message/corpconversation/asyncsend_v2?access_token=`` ``{"agent_id",
  "userid_list", "msg": {"msgtype": "action_card", "action_card": {...}}}`` (工作通知) → ``task_id``.
Errcodes: 40089 invalid appkey / appsecret, 40001 wrong secret, 40014 invalid access_token,
42001 access_token expired, 40078 the 免登 code does not exist (or was used), -1 system busy,
90002 / 90006 / 90018 call frequency or concurrency over the limit."""

from django.conf import settings
from django.utils.translation import gettext as _

from .. import providers
from .base import ApiError, Client

MARKDOWN_CHARS = 2000


class DingTalkClient(Client):
    provider = providers.Provider.DINGTALK
    EXPIRED = frozenset({40014, 42001})
    BAD_SECRET = frozenset({40001, 40089, 40091})  # 40091: appkey not authorised for this corp
    TRANSIENT = frozenset({-1, 90002, 90006, 90018})

    def api_url(self) -> str:
        return settings.QINGDAN_DINGTALK_API_URL

    def env_secret(self) -> str:
        return settings.QINGDAN_DINGTALK_APP_SECRET

    def fetch_token(self, secret: str) -> dict:
        return self.request("GET", "/gettoken", {"appkey": self.corp_id(), "appsecret": secret})

    def userid_for_code(self, code: str) -> str:
        answer = self.call("POST", "/topapi/v2/user/getuserinfo", payload={"code": code})
        result = answer.get("result")
        userid = result.get("userid") if isinstance(result, dict) else None
        if not isinstance(userid, str) or not userid:
            raise ApiError(_("%(app)s gave an answer that cannot be understood.") % {"app": self.name()},
                           permanent=True)
        return userid

    def send_card(self, userid: str, *, title: str, description: str, url: str) -> str:
        agent = self.agent_id()
        payload = {
            "agent_id": int(agent) if agent.isdigit() else agent,
            "userid_list": userid,
            "msg": {
                "msgtype": "action_card",
                "action_card": {
                    "title": title[:60],
                    "markdown": f"### {title}\n\n{description}"[:MARKDOWN_CHARS],
                    "single_title": _("Open"),
                    "single_url": url,
                },
            },
        }
        answer = self.call("POST", "/topapi/message/corpconversation/asyncsend_v2", payload=payload)
        return f"errcode 0 task_id {str(answer.get('task_id', ''))[:80]}".strip()
