"""The suite's clock: every test starts at ``FROZEN`` (Beijing time) and the clock ticks from
there, so nothing depends on the machine's date. A test that needs another moment travels
explicitly (``with travel(at(2027, 1, 1, 9)):``).

``FROZEN`` is a Wednesday in the middle of a quarter's last-but-one month: a fixture's task
"due in 20 or 30 days" stays in the same quarter and year, and "5 days before" in the same month.

Processes the tests start (Celery workers and beats) inherit the clock through
``QINGDAN_TEST_CLOCK``: the offset in seconds between the test's clock and the real one, so a
worker started a minute into a test reads the same time as the test (worker_settings.py).
"""

import os
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

BEIJING = ZoneInfo("Asia/Shanghai")
FROZEN = datetime(2026, 11, 18, 10, 0, tzinfo=BEIJING)
ENV = "QINGDAN_TEST_CLOCK"


def at(year, month, day, hour=9, minute=0) -> datetime:
    """An instant in Beijing time."""
    return datetime(year, month, day, hour, minute, tzinfo=BEIJING)


def travel(when: datetime, *, tick: bool = False):
    """time_machine.travel to ``when`` (a Beijing-time datetime): frozen unless ``tick``."""
    return time_machine.travel(when, tick=tick)


def offset_from_real() -> float:
    """Seconds between this process's clock and the real one (0 outside time travel)."""
    if not time_machine.escape_hatch.is_travelling():
        return 0.0
    return time.time() - time_machine.escape_hatch.time.time()


def start_from_environment():
    """In a process started by a test: read the clock the test reads (ticking)."""
    value = os.environ.get(ENV)
    if not value:
        return None
    real = time.time()  # not travelling yet: the real clock
    traveller = time_machine.travel(real + float(value), tick=True)
    traveller.start()
    return traveller
