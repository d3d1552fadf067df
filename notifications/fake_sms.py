"""A local SMS gateway speaking the protocol documented in notifications/channels/sms.py, on
loopback: the API key, the approved signature and template, mobile numbers, request ids that make
a retry harmless, and the failures a real gateway has — errcodes 1001 / 1002 / 2001 / 3001 / 5000,
HTTP 500, an answer that is not JSON, no answer in time. The tests start it in a thread;
``make run`` starts it beside the demo (``python -m notifications.fake_sms``) when no gateway is
configured, and its "phone" page (``/_phone/``) shows the SMS each demo person received. Never
used in production."""

import argparse
import json
import re
import sys
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from notifications import fake_phone
from notifications.loopback import LoopbackServer, serve_until_stopped

KEY, SIGN, TEMPLATE = "sms-test-key", "示范县纪委监委", "QD_REMINDER_1"
# the approved template's text, as the gateway fills it in (the example in notifications/channels/sms.py)
TEMPLATE_TEXT = "您有{count}项主体责任清单事项待办：{title}，详见{link}"



class SmsGateway(LoopbackServer):
    def __init__(self, key=KEY, sign=SIGN, template=TEMPLATE, *, port=0, people=None):
        self.key, self.sign, self.template = key, sign, template
        self.people = dict(people or {})  # mobile number → the name shown on the phone page
        self.requests = []  # every decoded request body, in order
        self.delivered = []  # (phone, template_params): what a phone really received
        self.seen = {}  # request_id → message id
        self.failures = []  # queued: "1001" "1002" "2001" "3001" "5000" "500" "garbage" "slow"; one per request
        self.slow_seconds = 1.0
        self.refused_numbers = set()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                parts = urlsplit(self.path)
                if parts.path != "/_phone/":
                    self.send_error(404)
                    return
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                page = gateway.phone_page(query.get("to", "")).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, answer = gateway.answer(self.headers.get("Authorization", ""), body)
                payload = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up waiting (a timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.listen(Handler, port)
        self.url = f"{self.base}/sms/send"
        self.serve()

    def answer(self, authorization: str, body: bytes):
        data = json.loads(body)
        self.requests.append(data)
        failure = self.failures.pop(0) if self.failures else ""
        if failure == "500":
            return 500, b"Internal Server Error"
        if failure == "garbage":
            return 200, b"<html>gateway maintenance</html>"
        if authorization != f"Bearer {self.key}" or failure == "1001":
            return 200, {"errcode": 1001, "errmsg": "invalid api key"}
        if data.get("sign") != self.sign or data.get("template_id") != self.template or failure == "1002":
            return 200, {"errcode": 1002, "errmsg": "sign or template not approved"}
        if failure in ("3001", "5000"):
            return 200, {"errcode": int(failure), "errmsg": "busy"}
        numbers = data.get("phone_numbers") or []
        if failure == "2001" or not numbers or any(
                not re.fullmatch(r"1\d{10}", n) or n in self.refused_numbers for n in numbers):
            return 200, {"errcode": 2001, "errmsg": "invalid phone number"}
        rid = data["request_id"]
        if rid not in self.seen:  # a repeated request id is the same message: sent once
            self.seen[rid] = f"m{len(self.seen) + 1}"
            for n in numbers:
                self.delivered.append((n, data["template_params"]))
        if failure == "slow":  # sent, but the answer comes too late for the client
            time.sleep(self.slow_seconds)
        return 200, {"errcode": 0, "errmsg": "ok", "message_id": self.seen[rid]}

    def text(self, params: dict) -> str:
        """The SMS as the phone shows it: the signature, then the template filled in."""
        fields = {k: str(params.get(k, "")) for k in ("count", "title", "link")}
        return f"【{self.sign}】" + TEMPLATE_TEXT.format(**fields)

    def phone_page(self, chosen: str) -> str:
        numbers = sorted(set(self.people) | {n for n, _ in self.delivered})
        return fake_phone.page(
            title="短信（本地模拟）", pick_label="手机号", pick_name="to", pick_button="查看", everyone=True,
            people=[(n, f"{self.people.get(n, '')} {n}".strip()) for n in numbers], chosen=chosen,
            messages=[fake_phone.Message(to=f"{self.people.get(n, '')} {n}".strip(), text=self.text(p))
                      for n, p in reversed(self.delivered) if not chosen or n == chosen],
            empty="还没有短信。")


def main(argv=None):
    """``python -m notifications.fake_sms``: the gateway on loopback for ``make run``'s demo."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=18803)
    parser.add_argument("--key", default=KEY)
    parser.add_argument("--sign", default=SIGN)
    parser.add_argument("--template", default=TEMPLATE)
    parser.add_argument("--people", default="", help="number=name,… shown on the phone page")
    args = parser.parse_args(argv)
    people = dict(item.split("=", 1) for item in args.people.split(",") if "=" in item)
    gateway = SmsGateway(args.key, args.sign, args.template, port=args.port, people=people)
    print(f"SMS gateway fake on {gateway.url} — phone page {gateway.base}/_phone/", flush=True)
    serve_until_stopped([gateway])
    return 0


if __name__ == "__main__":
    sys.exit(main())
