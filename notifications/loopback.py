"""What the local fakes share (the SMS gateway, 企业微信 and 钉钉, the tests' group robots): an HTTP
server on loopback serving from a daemon thread, and running fakes until stopped. Never used in
production."""

import signal
import sys
import threading
from http.server import ThreadingHTTPServer


class LoopbackServer:
    """``listen`` (takes the port: 0 picks a free one, then ``port`` and ``base``), ``serve``, ``close``."""

    def listen(self, handler, port: int = 0) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def serve(self):
        # a short poll: closing the fake (after every test) waits at most this long
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()
        return self

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve_until_stopped(servers) -> None:
    """Keep the fakes (started in threads) serving until Ctrl-C or TERM, then close them."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        threading.Event().wait()
    except (KeyboardInterrupt, SystemExit):
        pass
    for server in servers:
        server.close()
