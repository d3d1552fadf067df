"""The mail server the soak's workers deliver to, on 127.0.0.1: it keeps every message's
``X-Qingdan-Key`` (the outbox row it came from). (Group robots are the notification tests'
stand-in, tests/notifications/conftest.py's RobotServer, which keeps every post.)"""

import socketserver
import threading
from email.parser import BytesParser
from email.policy import default as default_policy


class MailSink:
    """An SMTP server just large enough for Django's SMTP backend (EHLO, MAIL, RCPT, DATA, RSET,
    NOOP, QUIT; no TLS, no AUTH). ``keys`` lists the X-Qingdan-Key of every accepted message."""

    def __init__(self):
        self.keys: list[str] = []
        self.lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str):
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                try:
                    self.converse()
                except OSError:  # the sender died mid-conversation (the soak kills a worker)
                    pass

            def converse(self):
                self.reply("220 soak-mail ESMTP")
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    verb = line.strip().split(b" ", 1)[0].upper()
                    if verb in (b"EHLO", b"HELO"):
                        self.reply("250-soak-mail\r\n250 8BITMIME" if verb == b"EHLO" else "250 soak-mail")
                    elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                        self.reply("250 OK")
                    elif verb == b"DATA":
                        self.reply("354 go ahead")
                        body = []
                        for raw in iter(self.rfile.readline, b""):
                            if raw in (b".\r\n", b".\n"):
                                break
                            body.append(raw[1:] if raw.startswith(b"..") else raw)
                        message = BytesParser(policy=default_policy).parsebytes(b"".join(body))
                        with sink.lock:
                            sink.keys.append(str(message.get("X-Qingdan-Key", "")))
                        self.reply("250 queued")
                    elif verb == b"QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
