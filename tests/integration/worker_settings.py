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
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # keep reconnecting while Redis is down
CELERY_BEAT_MAX_LOOP_INTERVAL = 1
QINGDAN_SEND_LEASE_SECONDS = int(os.environ.get("QINGDAN_TEST_LEASE_SECONDS", "3"))
QINGDAN_SEND_BACKOFF_SECONDS = 1
# The tests' stand-in robot listens on http://127.0.0.1 (production allows neither).
QINGDAN_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
QINGDAN_WEBHOOK_ALLOW_HTTP = True
QINGDAN_WEBHOOK_ALLOW_PRIVATE = True
