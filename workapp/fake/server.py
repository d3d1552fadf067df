"""The fakes: one ``http.server`` per provider, its state in plain Python objects. Sign-in codes
are used once and live five minutes; the fake 钉钉 also stands in for its client's
``requestAuthCode`` (``/_client/requestAuthCode?corpId=&as=``).

Faults are queued with ``fail_next(kind, times=1, path=None)`` and applied to the next API calls
(those to ``path`` only, if given; gettoken only when named; never the browser pages): ``"expired"`` (the provider's token-expired errcode), ``"rate_limit"``,
``"http500"``, ``"timeout"`` (answers after ``slow_seconds``), ``"html"`` (an HTML error page),
``"garbage"`` (JSON without an errcode), ``"bad_secret"``. ``expire_tokens()`` makes every token
issued so far expire now (a token that expires mid-run)."""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlsplit

from notifications import fake_phone
from notifications.loopback import LoopbackServer

class FakeProvider(LoopbackServer):
    name = ""
    CLIENT_PATH = None  # where the work app's own client asks for a sign-in code (钉钉 only: client_code)
    CODE_SECONDS = 300  # a sign-in code lives five minutes
    EXPIRED = 42001
    RATE_LIMIT = 45009
    BAD_SECRET = 40001
    BAD_CODE = 40029

    def __init__(self, *, corp_id="fake-corp", secret="fake-secret", users=(), port=0):
        self.corp_id = corp_id
        self.secret = secret
        self.users = list(users)  # user ids of the fake organisation
        self.phone_user = self.users[0] if self.users else ""
        self.tokens: dict[str, float] = {}  # token → expiry (time.time())
        self.codes: dict[str, tuple[str, float]] = {}  # code → (user id, when it stops being valid)
        self.codes_reusable = False  # a real code is used once; True: the provider would accept it again
        self.messages: list[dict] = []
        self.calls: list[tuple[str, str]] = []  # (method, path) of every API call
        self.faults: list[tuple[str, str | None]] = []
        self.seen: dict[tuple[str, str], float] = {}  # (user id, content) → when last received
        self.slow_seconds = 2.0
        self.lock = threading.Lock()
        self.listen(self._handler(), port)
        self.site_start = ""  # the app's sign-in entry, linked from the phone page (make run)

    # --- control -----------------------------------------------------------------------------
    def fail_next(self, kind: str, times: int = 1, path: str | None = None):
        with self.lock:
            self.faults.extend([(kind, path)] * times)

    def expire_tokens(self):
        with self.lock:
            self.tokens = {t: 0.0 for t in self.tokens}

    def issue_code(self, userid: str) -> str:
        code = secrets.token_urlsafe(12)
        with self.lock:
            self.codes[code] = (userid, time.time() + self.CODE_SECONDS)
        return code

    def api_calls(self, path: str) -> int:
        return sum(1 for _m, p in self.calls if p == path)

    # --- shared rules ---------------------------------------------------------------------------
    def new_token(self) -> dict:
        token = secrets.token_hex(16)
        with self.lock:
            self.tokens[token] = time.time() + 7200
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    def token_error(self, token: str) -> dict | None:
        expiry = self.tokens.get(token or "")
        if expiry is None:
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        if expiry <= time.time():
            return {"errcode": self.EXPIRED, "errmsg": "access_token expired"}
        return None

    def take_code(self, code: str) -> str | None:
        """The user id of a valid code (spent now, unless ``codes_reusable``); None: unknown,
        used or expired."""
        code = code if isinstance(code, str) else ""
        with self.lock:
            userid, expiry = self.codes.get(code, (None, 0))
            valid = expiry > time.time()
            if not (valid and self.codes_reusable):
                self.codes.pop(code, None)
            return userid if valid else None

    def record(self, userid: str, title: str, text: str, url: str, button: str, *, same_as: str = "",
               window: float = 0) -> bool:
        """Keep a received message; with ``same_as`` (its content) a copy within ``window``
        seconds is dropped, as both providers drop repeated content (False: dropped)."""
        now = time.time()
        with self.lock:
            if same_as and now - self.seen.get((userid, same_as), -1e18) < window:
                return False
            if same_as:
                self.seen[(userid, same_as)] = now
            self.messages.append({"to": userid, "title": title, "text": text, "url": url, "button": button})
            return True

    def routes(self) -> dict:  # pragma: no cover - overridden
        """{(method, path): handler(query, body) → answer dict}"""
        raise NotImplementedError

    def authorize(self, query: dict) -> str | None:  # pragma: no cover - overridden
        """The browser page that sends the person back with a code: the redirect target."""
        raise NotImplementedError

    # --- HTTP -------------------------------------------------------------------------------------
    def _fault(self, path: str):
        with self.lock:
            for i, (kind, only) in enumerate(self.faults):
                if only == path or (only is None and not path.endswith("/gettoken")):
                    del self.faults[i]
                    return kind
            return None

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                self._serve("GET")

            def do_POST(self):  # noqa: N802
                self._serve("POST")

            def _serve(self, method):
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if parts.path == "/_phone/":
                    return self._phone(query)
                if parts.path == fake.CLIENT_PATH:
                    return self._json(fake.client_code({**query, "_cookie_user": self._cookie_user()}))
                if parts.path == fake.AUTHORIZE_PATH:
                    target = fake.authorize({**query, "_cookie_user": self._cookie_user()})
                    if target is None:
                        return self._send(400, "text/plain; charset=utf-8", "bad authorize request".encode())
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                handler = fake.routes().get((method, parts.path))
                if handler is None:
                    return self._send(404, "text/html", b"<html><body>404 Not Found</body></html>")
                fake.calls.append((method, parts.path))
                fault = fake._fault(parts.path)
                if fault == "timeout":
                    time.sleep(fake.slow_seconds)
                elif fault == "http500":
                    return self._send(500, "text/html", b"<html><body>500 Internal Server Error</body></html>")
                elif fault == "html":
                    return self._send(200, "text/html", "<html><body>系统维护中</body></html>".encode())
                elif fault == "garbage":
                    return self._json({"unexpected": True})
                elif fault == "rate_limit":
                    return self._json({"errcode": fake.RATE_LIMIT, "errmsg": "api freq out of limit"})
                elif fault == "expired":
                    return self._json({"errcode": fake.EXPIRED, "errmsg": "access_token expired"})
                elif fault == "bad_secret":
                    return self._json({"errcode": fake.BAD_SECRET, "errmsg": "invalid credential"})
                try:
                    body = json.loads(raw.decode("utf-8")) if raw else {}
                except ValueError:
                    return self._json({"errcode": 40035, "errmsg": "invalid json"})
                return self._json(handler(query, body))

            def _cookie_user(self):
                for part in (self.headers.get("Cookie") or "").split(";"):
                    name, _, value = part.strip().partition("=")
                    if name == "fake_user":
                        return value
                return ""

            def _phone(self, query):
                chosen = query.get("as") or self._cookie_user() or fake.phone_user
                page = fake_phone.page(
                    title=f"{fake.name}（本地模拟）", pick_label="当前手机用户", pick_name="as", pick_button="切换",
                    people=[(u, u) for u in fake.users], chosen=chosen, open_app=fake.site_start,
                    messages=[fake_phone.Message(**m) for m in reversed(fake.messages) if not chosen or m["to"] == chosen])
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                if chosen:
                    self.send_header("Set-Cookie", f"fake_user={chosen}; Path=/; SameSite=Lax")
                data = page.encode("utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _json(self, answer):
                return self._send(200, "application/json; charset=utf-8", json.dumps(answer, ensure_ascii=False).encode())

            def _send(self, status, ctype, data):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:  # the client gave up (a timeout test)
                    pass

            def log_message(self, *args):
                pass

        return Handler

    def _redirect_with_code(self, query, userid):
        redirect_uri, state = query.get("redirect_uri", ""), query.get("state", "")
        if not redirect_uri.startswith(("http://", "https://")) or not userid:
            return None
        sep = "&" if "?" in redirect_uri else "?"
        return f"{redirect_uri}{sep}{urlencode({'code': self.issue_code(userid), 'state': state})}"


class WeComFake(FakeProvider):
    name = "企业微信"
    AUTHORIZE_PATH = "/connect/oauth2/authorize"

    def routes(self):
        return {
            ("GET", "/cgi-bin/gettoken"): self.gettoken,
            ("GET", "/cgi-bin/auth/getuserinfo"): self.getuserinfo,
            ("POST", "/cgi-bin/message/send"): self.send,
        }

    def gettoken(self, query, body):
        if query.get("corpid") != self.corp_id:
            return {"errcode": 40013, "errmsg": "invalid corpid"}
        if query.get("corpsecret") != self.secret:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        return self.new_token()

    def getuserinfo(self, query, body):
        error = self.token_error(query.get("access_token"))
        if error:
            return error
        userid = self.take_code(query.get("code"))
        if userid is None:
            return {"errcode": self.BAD_CODE, "errmsg": "invalid code"}
        return {"errcode": 0, "errmsg": "ok", "userid": userid, "user_ticket": secrets.token_hex(8), "expires_in": 1800}

    def send(self, query, body):
        error = self.token_error(query.get("access_token"))
        if error:
            return error
        if body.get("msgtype") != "textcard" or not isinstance(body.get("textcard"), dict):
            return {"errcode": 40008, "errmsg": "invalid message type"}
        card = body["textcard"]
        if not all(card.get(k) for k in ("title", "description", "url")):
            return {"errcode": 41016, "errmsg": "missing title / description / url"}
        to = [u for u in str(body.get("touser", "")).split("|") if u]
        invalid = [u for u in to if u not in self.users]
        for userid in to:
            if userid not in invalid:
                # enable_duplicate_check: the same card within duplicate_check_interval is dropped
                window = float(body.get("duplicate_check_interval") or 1800) if body.get("enable_duplicate_check") else 0
                self.record(userid, card["title"], card["description"], card["url"], card.get("btntxt") or "详情",
                            same_as=json.dumps(card, sort_keys=True) if window else "", window=window)
        if to and len(invalid) == len(to):
            return {"errcode": 81013, "errmsg": "user & party & tag all invalid", "invaliduser": "|".join(invalid)}
        return {"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(invalid), "msgid": secrets.token_hex(8)}

    def authorize(self, query):
        if query.get("appid") != self.corp_id or query.get("response_type") != "code":
            return None
        return self._redirect_with_code(query, query.get("_cookie_user") or self.phone_user)


class DingTalkFake(FakeProvider):
    name = "钉钉"
    AUTHORIZE_PATH = "/_auth"
    CLIENT_PATH = "/_client/requestAuthCode"
    BAD_SECRET = 40089
    BAD_CODE = 40078
    RATE_LIMIT = 90018

    def routes(self):
        return {
            ("GET", "/gettoken"): self.gettoken,
            ("POST", "/topapi/v2/user/getuserinfo"): self.getuserinfo,
            ("POST", "/topapi/message/corpconversation/asyncsend_v2"): self.send,
        }

    def gettoken(self, query, body):
        if query.get("appkey") != self.corp_id or query.get("appsecret") != self.secret:
            return {"errcode": 40089, "errmsg": "不合法的corpId或corpSecret"}
        return self.new_token()

    def getuserinfo(self, query, body):
        error = self.token_error(query.get("access_token"))
        if error:
            return error
        userid = self.take_code(body.get("code"))
        if userid is None:
            return {"errcode": self.BAD_CODE, "errmsg": "不存在的临时授权码", "request_id": secrets.token_hex(6)}
        return {"errcode": 0, "errmsg": "ok", "request_id": secrets.token_hex(6),
                "result": {"userid": userid, "unionid": f"u-{userid}", "name": userid, "sys": False}}

    def send(self, query, body):
        error = self.token_error(query.get("access_token"))
        if error:
            return error
        msg = body.get("msg") if isinstance(body.get("msg"), dict) else {}
        card = msg.get("action_card") if msg.get("msgtype") == "action_card" else None
        if not isinstance(card, dict) or not card.get("single_url"):
            return {"errcode": 40008, "errmsg": "不合法的消息类型"}
        to = [u for u in str(body.get("userid_list", "")).split(",") if u]
        for userid in to:
            if userid in self.users:
                # 工作通知: the same content to the same person within a day is not delivered again
                self.record(userid, card.get("title", ""), card.get("markdown", ""), card["single_url"],
                            card.get("single_title") or "查看详情", same_as=json.dumps(msg, sort_keys=True),
                            window=86400)
        return {"errcode": 0, "errmsg": "ok", "task_id": secrets.randbelow(10**12), "request_id": secrets.token_hex(6)}

    def __init__(self, *, org_corp_id="dingfakecorp", **kwargs):
        super().__init__(**kwargs)
        self.org_corp_id = org_corp_id  # the organisation's CorpId (the app key is ``corp_id``)

    def client_code(self, query):
        """The 钉钉 client's ``runtime.permission.requestAuthCode({corpId})`` for the person signed
        in on the phone (``as`` or the phone page's choice): ``{"code"}``, or the client's error."""
        if query.get("corpId") != self.org_corp_id:
            return {"errorCode": "7", "errorMessage": "corpId不正确"}
        userid = query.get("as") or query.get("_cookie_user") or self.phone_user
        if userid not in self.users:
            return {"errorCode": "3", "errorMessage": "当前用户不在该组织中"}
        return {"code": self.issue_code(userid)}

    def authorize(self, query):
        if query.get("client_id") != self.corp_id:
            return None
        return self._redirect_with_code(query, query.get("_cookie_user") or self.phone_user)
