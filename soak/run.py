"""`make soak`: the set-up the README's "Running beyond one machine" describes, on one machine,
under load and faults, judged at the end.

    .venv/bin/python -m soak.run            # SOAK_SECONDS (180) of load by SOAK_USERS (50) people

1. Its own PostgreSQL and Redis (append-only file) on free loopback ports; migrate; the demo
   county (seed_demo); e-mail addresses and group robots for three towns; reminders sent at a
   minute inside the run.
2. Production settings (QINGDAN_ENV=production, hashed static files) for two gunicorn
   instances, two Celery workers and one beat; one media folder for all; a mail server and a
   robot endpoint of its own (soak/sinks.py).
3. locust (soak/locustfile.py) with the people for SOAK_SECONDS, the requests alternating
   between the two instances; meanwhile one worker is killed with SIGKILL (right after the
   reminders' minute, while senders run) and started again, Redis is restarted, one web
   instance is restarted.
4. One more sweep through Celery, the outbox drained, then the checks (soak/report.py) are
   printed; the exit status is 1 if any fails. Everything it started is stopped.

The soak's tasks get a 60-second hard limit (QINGDAN_TASK_TIME_LIMIT) so that a sender's lease
(61 s) ends inside the run: the rows a killed worker held are taken over while it lasts."""

import os
import secrets
import shutil
import signal
import sys
import time
from datetime import timedelta

from soak.procs import BIN, ROOT, Processes, exported, free_port, script, wait_until

SECONDS = int(os.environ.get("SOAK_SECONDS", "180"))
WORKERS = ("workera", "workerb")
USERS = int(os.environ.get("SOAK_USERS", "50"))
VAR = ROOT / "var" / "soak"
RUN = VAR / "run"
PASSWORD = "Qingdan@2026"  # accounts.demo.DEMO_PASSWORD (not imported: Django is not set up yet)
MAIL_TOWNS = ("T01", "T02", "T03")


STARTED = time.monotonic()


def say(text: str) -> None:
    print(f"[soak +{time.monotonic() - STARTED:5.0f} s] {text}", flush=True)


def keyring(n: int) -> str:
    return f"soak={secrets.token_hex(n)}"


def static_sources() -> str:
    """What collectstatic reads: the static folders' files (name, size, time) and the lock (the
    installed packages' files)."""
    import hashlib

    h = hashlib.sha256((ROOT / "requirements-dev.lock").read_bytes())
    for folder in sorted([ROOT / "static", *ROOT.glob("*/static")]):
        if folder.parts[len(ROOT.parts)].startswith(".") or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                st = path.stat()
                h.update(f"{path.relative_to(ROOT)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


class Soak:
    def __init__(self):
        self.t0 = time.time()
        self.pg_port, self.redis_port = free_port(), free_port()
        self.web_ports = [free_port(), free_port()]
        self.events: list[tuple[float, str]] = []
        self.down: list[tuple[int, float, float]] = []  # (instance, from, to)
        self.killed_pids: set[int] = set()
        self.procs = None

    # --- services -------------------------------------------------------------------------
    def services(self) -> dict:
        shutil.rmtree(RUN, ignore_errors=True)
        for sub in ("media", "logs", "load"):
            (RUN / sub).mkdir(parents=True)
        base = {k: v for k, v in os.environ.items()
                if k not in ("DJANGO_SETTINGS_MODULE", "QINGDAN_ENV", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL",
                             "CELERY_RESULT_BACKEND", "QINGDAN_MEDIA_ROOT", "EMAIL_URL")}
        db = exported(script("pg.sh", "start", {**base, "PG_PORT": str(self.pg_port)}))
        shutil.rmtree(f"/tmp/qingdan-redis-{self.redis_port}", ignore_errors=True)
        self.redis_env = {**base, "REDIS_PORT": str(self.redis_port), "REDIS_AOF": "1"}
        redis = exported(script("redis.sh", "start", self.redis_env))
        from soak.sinks import MailSink

        self.mail = MailSink()
        return {
            **base, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "config.settings", "QINGDAN_ENV": "production",
            "DATABASE_URL": db, "REDIS_URL": redis, "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "QINGDAN_SITE_URL": f"http://127.0.0.1:{self.web_ports[0]}",
            "DJANGO_SECURE_SSL_REDIRECT": "false", "DJANGO_HSTS_SECONDS": "0",
            "QINGDAN_VAR_DIR": str(RUN), "QINGDAN_MEDIA_ROOT": str(RUN / "media"), "QINGDAN_STATIC_ROOT": str(VAR / "static"),
            "EMAIL_URL": f"smtp://127.0.0.1:{self.mail.port}", "DEFAULT_FROM_EMAIL": "qingdan@soak.example.org",
            "QINGDAN_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1", "QINGDAN_WEBHOOK_ALLOW_HTTP": "true",
            "QINGDAN_WEBHOOK_ALLOW_PRIVATE": "true",
            "QINGDAN_AUDIT_KEYS": keyring(32), "QINGDAN_FIELD_KEYS": keyring(16), "QINGDAN_LOOKUP_KEY": keyring(32),
            "QINGDAN_BACKUP_KEYS": keyring(16),
            "QINGDAN_TASK_TIME_LIMIT": "60", "QINGDAN_SEND_LEASE_SECONDS": "61", "QINGDAN_SEND_TIME_BUDGET": "30",
            "QINGDAN_SEND_BACKOFF_SECONDS": "5", "QINGDAN_LOG_LEVEL": "INFO",
        }

    def manage(self, env: dict, *args: str, timeout: float = 600) -> str:
        import subprocess

        r = subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=timeout)
        if r.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed: {r.stdout[-1500:]}{r.stderr[-3000:]}")
        return r.stdout

    def database(self, env: dict) -> None:
        self.manage(env, "compilemessages", "--ignore=.venv*", "-v0")
        self.manage(env, "migrate", "--noinput", "-v0")
        say("migrated")
        self.manage({**env, "QINGDAN_ENV": "dev"}, "seed_demo")  # demo data is refused in production mode
        say("demo county seeded")
        stamp = VAR / "static.stamp"
        if not (stamp.exists() and stamp.read_text() == static_sources()):  # minutes on a busy machine
            self.manage(env, "collectstatic", "--noinput", "--clear", "-v0")
            stamp.write_text(static_sources())

    def soak_data(self, robot) -> dict:
        """E-mail addresses and group robots for three towns; reminders sent at a minute inside the
        run. Returns the accounts the load uses."""
        from datetime import time as clock

        from django.utils import timezone

        from accounts.models import OrgUnit, User
        from django_otp.plugins.otp_totp.models import TOTPDevice
        from notifications.models import ReminderSettings, Webhook

        orgs = OrgUnit.objects.filter(code__regex=r"^(" + "|".join(MAIL_TOWNS) + r")($|-)")
        for user in User.objects.filter(memberships__org__in=orgs).distinct():
            User.objects.filter(pk=user.pk).update(email=f"{user.username}@soak.example.org")
        for org in orgs:
            Webhook.objects.create(org=org, kind="wecom", url=robot.url(f"/cgi-bin/webhook/send?key=soak-{org.code}"))
        # a whole minute about a quarter into the load (the processes take ~20 s to start)
        send = (timezone.localtime() + timedelta(seconds=SECONDS * 0.25 + 20 + 59)).replace(second=0, microsecond=0)
        ReminderSettings.load()
        ReminderSettings.objects.filter(pk=1).update(send_time=clock(send.hour, send.minute))
        self.send_time, self.send_epoch = send.strftime("%H:%M"), send.timestamp()
        towns = [f"t{n:02d}" for n in range(1, 13)]
        villages = [f"v{t:02d}{v:02d}" for v in range(1, 10) for t in range(1, 11)]
        county = ["jw_staff", "jw_staff2", "jw_staff3"]
        # county staff sign in with a second factor: the keys of the devices the demo enrolled
        devices = TOTPDevice.objects.filter(user__username__in=county, confirmed=True).select_related("user")
        os.environ["SOAK_TOTP_KEYS"] = ",".join(f"{d.user.username}:{d.key}" for d in devices)  # the checks sign in too
        return {
            "SOAK_VILLAGE_ACCOUNTS": ",".join(f"{v}_clerk" for v in villages),
            "SOAK_TOWN_ACCOUNTS": ",".join(f"{t}_disc" for t in towns[:10]),
            "SOAK_COUNTY_ACCOUNTS": ",".join(county),
            "SOAK_TOTP_KEYS": os.environ["SOAK_TOTP_KEYS"],
        }

    # --- the run ----------------------------------------------------------------------------
    def start_all(self, env: dict) -> None:
        self.procs = Processes(env, RUN / "logs")
        for i, port in enumerate(self.web_ports):
            self.procs.web(f"web{'ab'[i]}", port)
        self.procs.worker("workera")
        self.procs.worker("workerb")
        self.procs.beat(RUN)
        for port in self.web_ports:
            self.procs.web_ready(port)
        self.procs.worker_ready("workera")
        self.procs.worker_ready("workerb")

    def note(self, what: str) -> None:
        self.events.append((time.time(), what))
        say(what)

    def faults(self, load_started: float, locust) -> None:
        """The three faults, one after the other: the worker is killed 2 s after the reminders'
        minute (the sweep has just started senders for them) if that falls in the run's first
        half, else at a quarter; Redis restarts past half the run, the web instance at 70 %."""
        def at(target):
            while time.time() < target and locust.poll() is None:
                time.sleep(0.2)

        kill = self.send_epoch + 2
        if kill > load_started + SECONDS * 0.5:
            kill = load_started + SECONDS * 0.25
        at(kill)
        self.killed_pids = self.procs.pool_pids("workerb")
        self.note(f"SIGKILL worker b (pids {sorted(self.killed_pids)})")
        self.procs.signal("workerb", signal.SIGKILL)
        time.sleep(3)
        self.procs.worker("workerb")
        self.procs.worker_ready("workerb")
        self.note("worker b started again")

        at(max(load_started + SECONDS * 0.55, time.time() + 10))
        marks = {w: len(self.procs.log(w)) for w in WORKERS}
        self.note("Redis: stop")
        script("redis.sh", "stop", self.redis_env)
        time.sleep(2)
        script("redis.sh", "start", self.redis_env)
        self.note("Redis: started again (append-only file reloaded)")
        self.supervise_reconnect(marks)

        at(max(load_started + SECONDS * 0.7, time.time() + 10))
        t_down = time.time()
        self.note("web b: SIGTERM (graceful stop)")
        self.procs.signal("webb", signal.SIGTERM)
        self.procs.web("webb", self.web_ports[1])
        self.procs.web_ready(self.web_ports[1])
        self.down.append((1, t_down, time.time()))
        self.note(f"web b answers again ({time.time() - t_down:.1f} s down)")

    def supervise_reconnect(self, marks: dict, within: float = 30) -> None:
        """A worker whose consumer has not reconnected to the broker ``within`` seconds of its
        restart is restarted, as the supervisor's health check does in production
        (docs/operations.md): kombu can fail to restart its event loop after the connection was
        lost ("Error on stopping Hub"), leaving a live process that consumes nothing. The messages
        it held were restored to the queue when the connection dropped (acks_late)."""
        deadline, waiting = time.time() + within, set(marks)
        while waiting and time.time() < deadline:
            waiting = {w for w in waiting if "Connected to redis" not in self.procs.log(w)[marks[w]:]}
            time.sleep(1)
        for name in sorted(waiting):
            self.note(f"{name}: not reconnected to Redis within {within:.0f} s, restarted by the supervisor")
            self.procs.signal(name, signal.SIGTERM, wait=10)
            self.procs.worker(name)
            self.procs.worker_ready(name)

    def load(self, env: dict, accounts: dict) -> float:
        hosts = ",".join(f"http://127.0.0.1:{p}" for p in self.web_ports)
        load_env = {**env, **accounts, "SOAK_HOSTS": hosts, "SOAK_OUT": str(RUN / "load"), "SOAK_PASSWORD": PASSWORD,
                    "SOAK_USERS": str(USERS)}
        started = time.time()
        locust = self.procs.start("locust", [
            str(BIN / "locust"), "-f", str(ROOT / "soak" / "locustfile.py"), "--headless", "-u", str(USERS),
            "-r", "5", "-t", f"{SECONDS}s", "--stop-timeout", "15", "--only-summary", "--loglevel", "WARNING",
        ], env=load_env)
        self.note(f"locust: {USERS} people for {SECONDS} s")
        self.faults(started, locust)
        locust.wait(timeout=SECONDS + 120)
        self.note("locust finished")
        return started

    def drain(self, env: dict) -> None:
        """One more sweep through Celery (its effect: SweepState moves), then wait until the outbox
        holds nothing pending or in flight."""
        from celery import Celery
        from django.db.models import Q
        from django.utils import timezone

        from notifications.models import Outbox, State, SweepState

        sent_at = timezone.now()
        app = Celery("soak-client", broker=env["REDIS_URL"], set_as_current=False)
        app.send_task("notifications.tasks.sweep")
        app.close()
        wait_until(lambda: SweepState.objects.filter(pk=1, last_finished_at__gte=sent_at).exists(), 120,
                   "the sweep sent after the load")
        self.note("the sweep sent after the load ran")
        busy = Q(state=State.SENDING) | Q(state=State.PENDING, due_at__lte=timezone.now())
        wait_until(lambda: not Outbox.objects.filter(busy).exists(), 150, "the outbox to drain", interval=1)
        self.note("outbox drained")

    def run(self) -> int:
        say(f"services on 127.0.0.1: PostgreSQL {self.pg_port}, Redis {self.redis_port}, web {self.web_ports}")
        robot = None
        try:
            env = self.services()
            self.database(env)
            os.environ.update(env)
            import django

            django.setup()
            from tests.notifications.conftest import RobotServer

            robot = RobotServer()
            accounts = self.soak_data(robot)
            self.note(f"demo county ready; task reminders go out at {self.send_time} (Beijing)")
            self.start_all(env)
            self.note("2 web instances, 2 workers and the beat are up")
            started = self.load(env, accounts)
            self.drain(env)
            from soak.report import judge

            return judge(self, started, robot)
        finally:
            if self.procs:
                self.procs.stop_all()
            if robot is not None:
                robot.close()
            if getattr(self, "mail", None):
                self.mail.close()
            script("redis.sh", "stop", {**os.environ, "REDIS_PORT": str(self.redis_port)})
            script("pg.sh", "stop", {**os.environ, "PG_PORT": str(self.pg_port)})
            say(f"stopped everything ({time.time() - self.t0:.0f} s in all)")


def main() -> int:
    return Soak().run()


if __name__ == "__main__":
    sys.exit(main())
