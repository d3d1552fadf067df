"""A local SMS gateway speaking the protocol documented in notifications/channels/sms.py (on
127.0.0.1, started by the tests): the API key, the approved signature and template, mobile
numbers, request ids that make a retry harmless, and the failures a real gateway has —
errcodes 1001 / 1002 / 2001 / 3001 / 5000, HTTP 500, an answer that is not JSON, no answer in time."""

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY, SIGN, TEMPLATE = "sms-test-key", "示范县纪委监委", "QD_REMINDER_1"


class SmsGateway:
    def __init__(self, key=KEY, sign=SIGN, template=TEMPLATE):
        self.key, self.sign, self.template = key, sign, template
        self.requests = []  # every decoded request body, in order
        self.delivered = []  # (phone, template_params): what a phone really received
        self.seen = {}  # request_id → message id
        self.failures = []  # queued: "1001" "1002" "2001" "3001" "5000" "500" "garbage" "slow"; one per request
        self.slow_seconds = 1.0
        self.refused_numbers = set()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
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

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sms/send"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

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

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
