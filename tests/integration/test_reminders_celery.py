"""Exactly-once reminders with a real Redis broker and real Celery worker / beat processes.

How these tests run
-------------------
* Needs PostgreSQL (``DATABASE_URL``) and Redis (``REDIS_URL``); ``make test`` provides both
  and sets ``QINGDAN_REQUIRE_SERVICES=1``, under which a missing service FAILS these tests
  instead of skipping them. By hand::

      DATABASE_URL=postgres://postgres@127.0.0.1:55504/postgres REDIS_URL=redis://127.0.0.1:6504/0 \\
          .venv/bin/python -m pytest -m integration tests/integration

* Tests run on pytest-django's *transactional* database (they request ``transactional_db``,
  the fixture form of ``@pytest.mark.django_db(transaction=True)``; see conftest.py for why
  the fixture form): what the test writes is committed, so the worker processes see it. The worker gets the *test* database through its
  environment: ``DATABASE_URL=postgres://…/<connection.settings_dict["NAME"]>`` (e.g.
  ``test_postgres`` or ``test_postgres_gw0`` under xdist), with
  ``DJANGO_SETTINGS_MODULE=tests.integration.worker_settings`` (the test settings, Celery not
  eager, a 3-second sender lease) and ``celery -A tests.integration.worker_app``.
* Each xdist worker uses its own Redis database (10, 11, …), flushed before each test.
  Workers and beats are started in their own process group and killed by that group at teardown.
* Reminders are sendable at any hour here (``send_time`` 00:00); the business date is the real
  date. Time travel (23:30 / 00:30 / 07:59, the 3-hour outage) is covered in-process in
  tests/notifications, where the clock can be moved.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from notifications.models import InboxMessage, Outbox, ReminderSettings, State, Webhook
from tests.integration.conftest import ROOT, free_port, wait_until
from tests.notifications.conftest import RobotServer, allow_loopback_robots
from tests.notifications.factories import make_task

pytestmark = pytest.mark.integration


@pytest.fixture
def sendable(county):
    ReminderSettings.load()
    ReminderSettings.objects.filter(pk=1).update(send_time=time(0, 0), digest_enabled=False, holiday_enabled=False)
    return county


@pytest.fixture
def robot(settings):
    allow_loopback_robots(settings)
    server = RobotServer()
    yield server
    server.close()


def all_done():
    return Outbox.objects.exists() and not Outbox.objects.filter(state__in=(State.PENDING, State.SENDING)).exists()


def robot_titles(robot):
    """Every task title line posted to the robot, across all its messages."""
    lines = []
    for _path, _headers, body in robot.requests:
        markdown = json.loads(body)["markdown"]
        content = markdown.get("content") or markdown["text"]  # 企业微信 / 钉钉
        lines += [ln for ln in content.splitlines() if ln.startswith("- ")]
    return lines


def assert_exactly_once(expected_rows: int):
    """Every in-app row sent, and each (person, task) listed exactly once across the person's
    inbox messages (a person's reminders arrive as one message listing them)."""
    rows = Outbox.objects.filter(channel="inapp")
    assert rows.count() == expected_rows
    assert set(rows.values_list("state", flat=True)) == {State.SENT}
    listed = Counter()
    for message in InboxMessage.objects.all():
        for task_id in [i["task"] for i in message.items] or [message.task_id]:
            listed[(message.user_id, task_id)] += 1
    assert listed == Counter(rows.values_list("recipient_id", "task_id"))
    assert InboxMessage.objects.count() == rows.values("envelope").distinct().count()


def test_task_bodies_run_twice_deliver_once(transactional_db, sendable, procs, client_app, robot):
    c = sendable
    Webhook.objects.create(org=c.v11, kind="wecom", url=robot.url())
    today = timezone.localdate()
    tasks = [make_task(c.v11, today, title=f"今日事项{i}") for i in range(5)]
    procs.worker(concurrency=2)
    for _ in range(2):
        client_app.send_task("notifications.tasks.sweep")
    for _ in range(4):
        client_app.send_task("notifications.tasks.deliver")
    wait_until(lambda: Outbox.objects.count() == 10 and all_done(), 60, message="all rows sent")
    assert_exactly_once(5)
    titles = robot_titles(robot)
    for t in tasks:
        assert sum(t.title in line for line in titles) == 1, titles
    assert len(robot.requests) == 1


def test_two_workers_deliver_each_reminder_once(transactional_db, sendable, procs, client_app, robot):
    c = sendable
    Webhook.objects.create(org=c.v11, kind="wecom", url=robot.url())
    Webhook.objects.create(org=c.v21, kind="dingtalk", url=robot.url("/robot/send?access_token=t"), secret="SECit")
    today = timezone.localdate()
    tasks = []
    for i in range(15):
        tasks.append(make_task(c.v11, today - timedelta(days=1), title=f"东村事项{i}"))
        tasks.append(make_task(c.v21, today, title=f"南村事项{i}"))
    procs.worker("a", concurrency=2)
    procs.worker("b", concurrency=2)
    client_app.send_task("notifications.tasks.sweep")
    for _ in range(8):
        client_app.send_task("notifications.tasks.deliver")
    wait_until(lambda: Outbox.objects.count() == 60 and all_done(), 90, message="all rows sent")
    assert_exactly_once(30)
    titles = robot_titles(robot)
    for t in tasks:
        assert sum(f"{t.title}（" in line for line in titles) == 1, t.title
    both = procs.log("a") + procs.log("b")
    assert "notifications.tasks.deliver" in procs.log("a") and "notifications.tasks.deliver" in procs.log("b"), both[-2000:]


def test_two_beats_racing_sweeps_write_and_send_once(transactional_db, sendable, procs, robot):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from accounts.schedule import install
    from notifications.setup import JOBS, SWEEP_NAME

    c = sendable
    Webhook.objects.create(org=c.v11, kind="wecom", url=robot.url())
    today = timezone.localdate()
    tasks = [make_task(c.v11, today + timedelta(days=5), title=f"五天后{i}") for i in range(4)]
    tasks += [make_task(c.v11, today - timedelta(days=4), title=f"逾期{i}") for i in range(4)]
    install(JOBS)
    every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(name=SWEEP_NAME).update(crontab=None, interval=every_second)
    procs.worker(concurrency=2)
    procs.beat("beat1")
    procs.beat("beat2")
    wait_until(lambda: procs.log("w1").count("notifications.tasks.sweep") >= 12, 60, message="sweeps from both beats")
    assert "Sending due task" in procs.log("beat1") and "Sending due task" in procs.log("beat2")
    wait_until(all_done, 30, message="all rows sent")
    assert_exactly_once(8)
    titles = robot_titles(robot)
    for t in tasks:
        assert sum(f"{t.title}（" in line for line in titles) == 1, titles


def test_worker_killed_mid_inapp_send_is_taken_over_once(transactional_db, sendable, procs, client_app):
    c = sendable
    marker = Path(tempfile.mkstemp(prefix="qingdan-slow-")[1])
    marker.unlink()
    t = make_task(c.v11, timezone.localdate(), title="被打断的发送")
    from notifications.services import run_sweep

    run_sweep()
    row = Outbox.objects.get(task=t)
    procs.worker("slow", env={"QINGDAN_TEST_SLOW_INAPP": "60", "QINGDAN_TEST_SLOW_MARKER": str(marker)})
    client_app.send_task("notifications.tasks.deliver")
    wait_until(marker.exists, 30, message="the slow worker to be inside the send")
    row.refresh_from_db()
    assert row.state == State.SENDING and row.attempts == 1
    procs.kill("slow", signal.SIGKILL)  # SIGKILL mid-send: the in-app transaction never commits
    assert not InboxMessage.objects.exists()
    procs.worker("rescuer")
    wait_until(lambda: Outbox.objects.filter(pk=row.pk, claimed_at__lt=timezone.now() - timedelta(seconds=3)).exists(),
               10, message="the lease to expire")
    client_app.send_task("notifications.tasks.deliver")
    wait_until(lambda: Outbox.objects.filter(pk=row.pk, state=State.SENT).exists(), 30, message="takeover")
    row.refresh_from_db()
    assert row.attempts == 2
    assert InboxMessage.objects.filter(outbox=row).count() == 1 and InboxMessage.objects.count() == 1
    marker.unlink(missing_ok=True)


def test_worker_killed_during_a_robot_call_does_not_post_twice(transactional_db, sendable, procs, client_app, robot):
    import threading

    c = sendable
    release = threading.Event()
    original = robot.httpd.RequestHandlerClass.do_POST

    def hold_first(handler):
        first = not robot.requests
        if first:
            length = int(handler.headers.get("Content-Length", 0))
            robot.requests.append((handler.path, dict(handler.headers), handler.rfile.read(length)))
            release.wait(30)  # the worker dies while we hold the answer
            return
        original(handler)

    robot.httpd.RequestHandlerClass.do_POST = hold_first
    w = Webhook.objects.create(org=c.v11, kind="wecom", url=robot.url())
    t = make_task(c.v11, timezone.localdate(), title="机器人发送中断")
    from notifications.services import run_sweep

    run_sweep()
    group_row = Outbox.objects.get(webhook=w)
    procs.worker("victim")
    client_app.send_task("notifications.tasks.deliver")
    wait_until(lambda: robot.requests, 30, message="the robot to receive the post")
    procs.kill("victim", signal.SIGKILL)
    release.set()
    procs.worker("rescuer")
    wait_until(lambda: Outbox.objects.filter(pk=group_row.pk, claimed_at__lt=timezone.now() - timedelta(seconds=3)).exists(),
               10, message="the lease to expire")
    client_app.send_task("notifications.tasks.deliver")
    wait_until(lambda: Outbox.objects.filter(pk=group_row.pk, state=State.FAILED).exists(), 30, message="unknown outcome")
    group_row.refresh_from_db()
    assert "outcome unknown" in group_row.last_error
    assert len(robot.requests) == 1  # never posted twice
    assert InboxMessage.objects.filter(task=t).count() == 1  # the person still got it in-app, once


def test_redis_down_pages_work_and_reminders_go_out_once_it_returns(transactional_db, sendable, procs, tmp_path, settings, client):
    """Redis (broker and cache) stops: pages still render, the sweep still writes the outbox,
    enqueue failures are logged and swallowed; when Redis is back the beat/worker send it once."""
    import redis as redis_lib

    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from accounts.schedule import install
    from notifications.setup import JOBS, SWEEP_NAME

    c = sendable
    port = free_port()
    # The project's one way to start a throwaway Redis (it also runs it outside libfaketime).
    start = ["bash", str(ROOT / "scripts" / "redis.sh"), "start"]
    redis_env = {**os.environ, "REDIS_PORT": str(port)}
    subprocess.run(start, check=True, capture_output=True, env=redis_env)
    url = f"redis://127.0.0.1:{port}/0"
    wait_until(lambda: _ping(url), 10, message="redis up")
    try:
        procs.env["CELERY_BROKER_URL"] = url
        install(JOBS)
        every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
        PeriodicTask.objects.filter(name=SWEEP_NAME).update(crontab=None, interval=every_second)
        first = make_task(c.v11, timezone.localdate(), title="停机前")
        procs.worker(concurrency=1)
        procs.beat("beat")
        wait_until(lambda: InboxMessage.objects.filter(task=first).exists(), 60, message="delivery before the outage")

        redis_lib.Redis.from_url(url).shutdown(nosave=True)
        wait_until(lambda: not _ping(url), 10, message="redis down")
        second = make_task(c.v11, timezone.localdate(), title="停机期间")

        # every page still works with the cache and the broker unreachable
        settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                                       "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
        _assert_pages_work(client, c, broker_url=url)

        # the sweep run by hand writes the outbox and survives the dead broker
        out = subprocess.run([sys.executable, "manage.py", "sweep_reminders"], cwd=ROOT, capture_output=True, text=True,
                             env={**procs.env, "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings"}, timeout=120)
        assert out.returncode == 0, out.stderr[-2000:]
        assert "senders enqueued: 0 (broker unavailable?" in out.stdout, out.stdout
        row = Outbox.objects.get(task=second)
        assert row.state == State.PENDING

        subprocess.run(start, check=True, capture_output=True, env=redis_env)
        wait_until(lambda: _ping(url), 10, message="redis back")
        wait_until(lambda: InboxMessage.objects.filter(task=second).exists(), 90, message="delivery after Redis returned")
        wait_until(all_done, 30, message="nothing pending")
        assert InboxMessage.objects.filter(task=second).count() == 1
        assert InboxMessage.objects.filter(task=first).count() == 1
    finally:
        subprocess.run(["bash", str(ROOT / "scripts" / "redis.sh"), "stop"], capture_output=True, env=redis_env)


def _ping(url) -> bool:
    import redis as redis_lib

    try:
        return bool(redis_lib.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except Exception:  # noqa: BLE001
        return False


def _page_urls():
    """Every URL pattern without arguments (all apps): the pages a user can open directly."""
    from django.urls import URLPattern, URLResolver, get_resolver

    out = []

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if "admin" in route:
                    continue
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and "<" not in route and "(?P" not in route and "^" not in route:
                out.append("/" + route.lstrip("/"))

    walk(get_resolver().url_patterns)
    return sorted(set(out))


def _assert_pages_work(client, c, broker_url):
    from config.celery import app as current_app
    from notifications import services
    from notifications.tasks import deliver

    conf = current_app.conf
    # The connection pool and the producer pool are both cached on the app (and keyed on the
    # connection it had then): reset both so publishing really goes to ``broker_url``, not to a
    # broker an earlier test in this process left behind.
    saved = (conf.task_always_eager, conf.broker_url, current_app._pool, current_app.amqp._producer_pool)
    conf.task_always_eager, conf.broker_url, current_app._pool, current_app.amqp._producer_pool = False, broker_url, None, None
    try:
        assert services.enqueue(deliver) is False  # swallowed and logged
        client.force_login(c.staff)
        failures = []
        urls = _page_urls()
        assert "/notifications/" in urls and "/" in urls
        for url in urls:
            if "logout" in url:
                continue
            try:
                status = client.get(url).status_code
            except Exception as exc:  # noqa: BLE001 - the test client re-raises view errors
                failures.append((url, f"{type(exc).__name__}: {exc}"))
                continue
            if status >= 500:
                failures.append((url, status))
        assert not failures, failures
    finally:
        if current_app._pool is not None:
            current_app._pool.force_close_all()
        conf.task_always_eager, conf.broker_url, current_app._pool, current_app.amqp._producer_pool = saved


def test_embedded_default_filesystem_broker_and_sqlite(tmp_path):
    """The same code on the embedded default, as ``make run`` starts it: SQLite file, kombu
    filesystem:// broker, ``migrate`` (which creates the every-minute sweep in
    django-celery-beat's table) and ``celery worker -B`` (embedded beat, DatabaseScheduler).
    The reminder goes out with nobody running the sweep by hand; a manual sweep after it adds nothing."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND",
                                                           "DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(QINGDAN_ENV="dev", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", QINGDAN_VAR_DIR=str(tmp_path / "var"),
               DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT))
    py = sys.executable

    def manage(*args, timeout=600):  # a hang guard: migrate alone takes minutes on a loaded 2-core machine
        r = subprocess.run([py, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        assert r.returncode == 0, r.stdout[-1500:] + r.stderr[-3000:]
        return r.stdout

    manage("migrate", "--noinput", "-v0")
    beat_rows = ("from django_celery_beat.models import PeriodicTask as P;"
                 "print('sweep', P.objects.filter(task='notifications.tasks.sweep', enabled=True, crontab__minute='*',"
                 " crontab__timezone='Asia/Shanghai').count())")
    assert "sweep 1" in manage("shell", "-c", beat_rows)  # created by migrate itself (post_migrate)
    manage("shell", "-c", (
        "from tests.county import build_county; from tests.notifications.factories import make_task;"
        "from notifications.models import ReminderSettings; from django.utils import timezone;"
        "from datetime import time; ReminderSettings.load(); ReminderSettings.objects.update(send_time=time(0, 0));"
        "c = build_county(); make_task(c.v11, timezone.localdate(), title='嵌入式模式')"
    ))
    log = open(tmp_path / "worker.log", "wb")
    worker = subprocess.Popen([str(Path(py).with_name("celery")), "-A", "config", "worker", "-c", "1", "-l", "info",
                               "-n", f"embedded-{os.getpid()}@%h", "-B", "-s", str(tmp_path / "beat.schedule")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        wait_until(lambda: "ready." in (tmp_path / "worker.log").read_text(errors="replace") or worker.poll() is not None, 180,
                   message="embedded worker ready")
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
        count = "from notifications.models import InboxMessage; print('inbox', InboxMessage.objects.filter(title__contains='嵌入式模式').count())"
        # the crontab fires at the next whole minute: at most ~60 s plus the send
        wait_until(lambda: "inbox 1" in manage("shell", "-c", count), 100, interval=2,
                   message="delivery by the embedded beat's sweep through the filesystem broker")
        out = manage("sweep_reminders")
        assert ": 0 new outbox rows" in out, out
        assert "inbox 1" in manage("shell", "-c", count)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=15)
