"""Real Redis, real Celery workers and beats, real PostgreSQL (see test_reminders_celery.py).

Without REDIS_URL (or with Redis unreachable), or on SQLite, these tests skip — unless
QINGDAN_REQUIRE_SERVICES=1 (``make test``), where they fail."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from tests.conftest import require_services

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def _missing(reason):
    if require_services():
        pytest.fail(f"QINGDAN_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def wait_until(predicate, timeout=30.0, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        _missing("REDIS_URL is not set (integration tests need a real Redis)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001
        _missing(f"Redis at {url} is unreachable: {exc}")
    return url


@pytest.fixture
def broker_url(redis_url, worker_id):
    """A Redis database of its own per xdist worker (10, 11, …), emptied before each test."""
    import redis

    n = 10 + (int(worker_id[2:]) if worker_id.startswith("gw") else 0)
    parts = urlsplit(redis_url)
    url = f"{parts.scheme}://{parts.netloc}/{n}"
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture(autouse=True)
def _integration_database(request):
    """Integration tests that use the database need PostgreSQL (workers are separate processes).

    The end-of-test flush passes accounts' append-only audit triggers through the shared purge
    switch (``SET qingdan.audit_purge = 'on'``, tests/conftest.py ``audit_purge``); ``pg_url``
    sets it again after ``procs`` has closed the connections, since the setting lives in the
    connection."""
    if "transactional_db" in request.fixturenames:
        from django.db import connection

        if connection.vendor != "postgresql":
            _missing("integration tests need PostgreSQL (DATABASE_URL): worker processes cannot open the SQLite test database")
    yield


@pytest.fixture
def pg_url(transactional_db):
    from django.db import connection

    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    yield f"postgres://{auth}@{host}:{port}/{s['NAME']}"
    with connection.cursor() as cursor:  # torn down after procs (which closed connections), before the flush
        cursor.execute("SET qingdan.audit_purge = 'on'")


class Processes:
    """Celery workers and beats started by one test; all stopped (by process group) at teardown."""

    def __init__(self, pg_url, broker_url):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
            "DATABASE_URL": pg_url,
            "CELERY_BROKER_URL": broker_url,
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("REDIS_URL", None)  # no Redis cache in the workers: only the broker under test
        self.dir = Path(tempfile.mkdtemp(prefix="qingdan-it-"))
        self.procs: dict[str, subprocess.Popen] = {}
        self.n = 0

    def _start(self, name, args, env):
        log = self.dir / f"{name}.log"
        proc = subprocess.Popen(
            [CELERY, "-A", "tests.integration.worker_app", *args], cwd=ROOT, env={**self.env, **env},
            stdout=open(log, "wb"), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def log(self, name) -> str:
        return (self.dir / f"{name}.log").read_text(errors="replace")

    def worker(self, name=None, concurrency=1, env=None, wait=True):
        self.n += 1
        name = name or f"w{self.n}"
        proc = self._start(name, ["worker", "-l", "info", "-c", str(concurrency), "-n", f"{name}-{os.getpid()}@%h",
                                  "--without-mingle", "--without-gossip", "--without-heartbeat"], env or {})
        if wait:
            wait_until(lambda: "ready." in self.log(name) or proc.poll() is not None, 60, message=f"worker {name} ready")
            assert proc.poll() is None, self.log(name)
        return proc

    def beat(self, name=None, env=None):
        self.n += 1
        name = name or f"beat{self.n}"
        schedule = self.dir / f"{name}.schedule"
        return self._start(name, ["beat", "-l", "info", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
                                  "-s", str(schedule), "--pidfile", str(self.dir / f"{name}.pid")], env or {})

    def kill(self, name, sig=signal.SIGKILL):
        proc = self.procs[name]
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)

    def stop_all(self):
        for name, proc in list(self.procs.items()):
            if proc.poll() is None:
                self.kill(name, signal.SIGTERM)
            try:  # the pool children share the process group
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def procs(pg_url, broker_url, transactional_db):
    p = Processes(pg_url, broker_url)
    yield p
    p.stop_all()
    from django.db import connections

    connections.close_all()


@pytest.fixture
def client_app(broker_url):
    """A Celery producer bound to the broker under test (pytest's own app is eager)."""
    from celery import Celery

    app = Celery("it-client", broker=broker_url, set_as_current=False)
    app.conf.broker_connection_retry_on_startup = False
    yield app
    app.close()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
