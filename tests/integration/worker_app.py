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

# QINGDAN_TEST_SLOW_EXPORT=<seconds> makes an archive export's first run pause once it holds its
# row, after writing its process id to QINGDAN_TEST_SLOW_MARKER, so a test can kill it mid-job;
# a run that finds the marker written goes straight on.
_slow_export = float(os.environ.get("QINGDAN_TEST_SLOW_EXPORT", "0") or 0)
if _slow_export:
    from celery.signals import worker_init

    @worker_init.connect
    def _pause_first_export(**kwargs):  # once Django is set up, before the pool forks
        from reports import services as _reports

        _real_write = _reports._write_archive

        def _slow_write(export_id, run):
            marker = os.environ["QINGDAN_TEST_SLOW_MARKER"]
            if not os.path.exists(marker):
                with open(marker + ".tmp", "w") as fh:
                    fh.write(str(os.getpid()))
                os.replace(marker + ".tmp", marker)
                time.sleep(_slow_export)
            return _real_write(export_id, run)

        _reports._write_archive = _slow_write
