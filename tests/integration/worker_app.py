"""The Celery app the integration tests run: config.celery's app, plus one test hook.

QINGDAN_TEST_SLOW_INAPP=<seconds> makes the in-app channel pause *inside* its delivery
transaction, so a test can SIGKILL the worker in the middle of a send."""

import os
import time

from config.celery import app  # noqa: F401

_slow = float(os.environ.get("QINGDAN_TEST_SLOW_INAPP", "0") or 0)
if _slow:
    from notifications.channels.inapp import InAppChannel

    _real_send = InAppChannel.send

    def _slow_send(self, row, message):
        result = _real_send(self, row, message)  # the InboxMessage INSERT, not yet committed
        marker = os.environ.get("QINGDAN_TEST_SLOW_MARKER")
        if marker:
            with open(marker, "w") as fh:
                fh.write(str(row.pk))
        time.sleep(_slow)
        return result

    InAppChannel.send = _slow_send
