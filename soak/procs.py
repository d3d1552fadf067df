"""The soak's services and processes on one machine, each on a free loopback port: PostgreSQL and
Redis through the project's scripts (scripts/pg.sh, scripts/redis.sh with an append-only file),
two gunicorn instances, two Celery workers and one beat, every one in its own process group
(stopped by that group, never by name)."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_until(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


def script(name: str, action: str, env: dict) -> str:
    """scripts/<name> <action>; its stdout (the export line of `start`)."""
    r = subprocess.run(["bash", str(ROOT / "scripts" / name), action], env=env, capture_output=True, text=True, timeout=120)
    if r.returncode:
        raise RuntimeError(f"scripts/{name} {action} failed: {r.stderr[-2000:]}")
    return r.stdout


def exported(line: str) -> str:
    """The value of ``export NAME=value``."""
    return line.strip().split("=", 1)[1]


class Processes:
    def __init__(self, env: dict, logs: Path):
        self.env = env
        self.logs = logs
        self.procs: dict[str, subprocess.Popen] = {}
        self.starts: dict[str, int] = {}

    def log_path(self, name: str) -> Path:
        return self.logs / f"{name}-{self.starts.get(name, 1)}.log"

    def log(self, name: str) -> str:
        return self.log_path(name).read_text(errors="replace") if self.log_path(name).exists() else ""

    def all_logs(self, name: str) -> str:
        return "".join(p.read_text(errors="replace") for p in sorted(self.logs.glob(f"{name}-*.log")))

    def start(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        self.starts[name] = self.starts.get(name, 0) + 1
        proc = subprocess.Popen(argv, cwd=ROOT, env={**self.env, **(env or {})}, stdin=subprocess.DEVNULL,
                                stdout=open(self.log_path(name), "wb"), stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def signal(self, name: str, sig, wait: float = 30) -> None:
        proc = self.procs[name]
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
        try:  # pool children left in the group
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop_all(self) -> None:
        for name, proc in list(self.procs.items()):
            if proc.poll() is None:
                self.signal(name, signal.SIGTERM, wait=20)

    # --- the set-up ----------------------------------------------------------------------
    def web(self, name: str, port: int) -> None:
        self.start(name, [str(BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
                          "--timeout", "60", "--graceful-timeout", "20",
                          "--access-logfile", str(self.logs / f"{name}-access.log")])

    def web_ready(self, port: int, timeout: float = 90) -> None:
        def answers():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as r:
                    return r.status == 200
            except OSError:
                return False

        wait_until(answers, timeout, f"the web instance on port {port}")

    def worker(self, name: str) -> None:
        self.start(name, [str(BIN / "celery"), "-A", "config", "worker", "-l", "info", "-c", "2",
                          "-n", f"{name}-{os.getpid()}@%h", "--without-mingle", "--without-gossip"])

    def worker_ready(self, name: str, timeout: float = 90) -> None:
        wait_until(lambda: "ready." in self.log(name) or self.procs[name].poll() is not None, timeout, f"worker {name}")
        if self.procs[name].poll() is not None:
            raise RuntimeError(f"worker {name} exited: {self.log(name)[-2000:]}")

    def beat(self, run_dir: Path) -> None:
        self.start("beat", [str(BIN / "celery"), "-A", "config", "beat", "-l", "info",
                            "-s", str(run_dir / "beat-schedule"), "--pidfile", str(run_dir / "beat.pid")])

    def pool_pids(self, name: str) -> set[int]:
        """Every process in ``name``'s group (the worker and its pool children)."""
        pgid = self.procs[name].pid
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                found.add(int(stat.parent.name))
        return found
