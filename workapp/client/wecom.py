"""企业微信 / 政务微信 (the government edition speaks the same API on a county-run host).

* ``GET  cgi-bin/gettoken?corpid=&corpsecret=`` → ``access_token``, ``expires_in`` (7200 s);
* ``GET  cgi-bin/auth/getuserinfo?access_token=&code=`` → ``userid`` (a non-member gets ``openid``);
* ``POST cgi-bin/message/send?access_token=`` ``{"touser", "msgtype": "textcard", "agentid",
  "textcard": {"title", "description", "url", "btntxt"}}`` → ``invaliduser`` lists refused ids;
* the OAuth2 page ``connect/oauth2/authorize?appid=&redirect_uri=&response_type=code&scope=snsapi_base
  &state=&agentid=#wechat_redirect`` sends the browser back with ``code`` and ``state``.
Global errcodes: 40001 invalid secret, 40013 invalid corpid, 40014 invalid access_token, 42001
access_token expired, 42009 suite token expired, 45009 call frequency limit, -1 system busy,
40029 invalid code, 60020 IP not allowed."""

from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from .. import providers
from .base import ApiError, Client

TITLE_BYTES = 128
DESCRIPTION_BYTES = 512


def truncate_utf8(text: str, limit: int) -> str:
    from notifications.channels.wecom import truncate_utf8 as cut

    return cut(text, limit)


class WeComClient(Client):
    provider = providers.Provider.WECOM
    EXPIRED = frozenset({40014, 42001, 42009})
    BAD_SECRET = frozenset({40001, 40013, 40056, 60020})  # 40056: bad agentid; 60020: server IP not trusted
    TRANSIENT = frozenset({-1, 45009, 45033})  # 45033: too many concurrent calls

    def api_url(self) -> str:
        return settings.QINGDAN_WECOM_API_URL

    def env_secret(self) -> str:
        return settings.QINGDAN_WECOM_SECRET

    def fetch_token(self, secret: str) -> dict:
        return self.request("GET", "/cgi-bin/gettoken", {"corpid": self.corp_id(), "corpsecret": secret})

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        query = urlencode({"appid": self.corp_id(), "redirect_uri": redirect_uri, "response_type": "code",
                           "scope": "snsapi_base", "state": state, "agentid": self.agent_id()})
        return f"{settings.QINGDAN_WECOM_AUTHORIZE_URL}?{query}#wechat_redirect"

    def userid_for_code(self, code: str) -> str:
        answer = self.call("GET", "/cgi-bin/auth/getuserinfo", {"code": code})
        userid = answer.get("userid") or answer.get("UserId")
        if not isinstance(userid, str) or not userid:
            raise ApiError(_("The person is not a member of the organisation in %(app)s.") % {"app": self.name()},
                           permanent=True)
        return userid

    def send_card(self, userid: str, *, title: str, description: str, url: str) -> str:
        agent = self.agent_id()
        payload = {
            "touser": userid,
            "msgtype": "textcard",
            "agentid": int(agent) if agent.isdigit() else agent,
            "textcard": {
                "title": truncate_utf8(title, TITLE_BYTES),
                "description": truncate_utf8(description, DESCRIPTION_BYTES),
                "url": url,
                "btntxt": _("Open"),
            },
            # the same card again within 30 minutes is dropped by the provider (a second guard
            # beside the outbox's claim)
            "enable_duplicate_check": 1,
            "duplicate_check_interval": 1800,
        }
        answer = self.call("POST", "/cgi-bin/message/send", payload=payload)
        invalid = str(answer.get("invaliduser") or "")
        if userid in invalid.split("|"):
            raise ApiError(_("%(app)s does not know the user id %(userid)s, or the app cannot reach them.")
                           % {"app": self.name(), "userid": userid}, permanent=True)
        return f"errcode 0 msgid {str(answer.get('msgid', ''))[:80]}".strip()
