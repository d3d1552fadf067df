"""Settings for the Celery workers and beats that integration tests start (not for pytest itself).

The real test settings, with Celery *not* eager (broker from CELERY_BROKER_URL) and a short
sender lease so "a dead sender's rows are taken over" happens within seconds."""

import os
import sys

os.environ.setdefault("QINGDAN_ENV", "test")
os.environ["QINGDAN_CELERY_EAGER"] = "false"

from config.settings_test import *  # noqa: E402,F403
from tests.clock import start_from_environment  # noqa: E402

if "beat" not in sys.argv:
    # Workers read the clock of the test that started them. A beat keeps the real clock: it
    # only decides when to send, and its scheduler loop stalls under time-machine's ticking clock.
    start_from_environment()

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_RESULT_BACKEND = None
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
if CELERY_BROKER_URL.startswith("filesystem://"):  # the embedded default's broker, in folders of the test's own
    _fs = os.environ["QINGDAN_TEST_FS_BROKER"]
    CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": _fs, "data_folder_out": _fs, "control_folder": f"{_fs}/control",
                                       "store_processed": False,
                                       "polling_interval": 0.1}
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # keep reconnecting while Redis is down
CELERY_BEAT_MAX_LOOP_INTERVAL = 1
QINGDAN_SEND_LEASE_SECONDS = int(os.environ.get("QINGDAN_TEST_LEASE_SECONDS", "3"))
QINGDAN_SEND_BACKOFF_SECONDS = 1
QINGDAN_JOB_LEASE_SECONDS = 8  # an export's lease is renewed every 2 s
# The tests' stand-in robot listens on http://127.0.0.1 (production allows neither).
QINGDAN_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
QINGDAN_WEBHOOK_ALLOW_HTTP = True
QINGDAN_WEBHOOK_ALLOW_PRIVATE = True
