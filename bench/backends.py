"""What the per-backend benchmarks share: a fresh database on SQLite and/or a PostgreSQL server,
the 20 × 20 county migrated and generated in it, then the script's ``inner`` measured in a fresh
process (so its imports and caches start cold).

    main(__file__, inner)   # --sqlite, --pg URL [--keep DBNAME]; --inner LABEL is the child process

With ``--keep DBNAME`` the PostgreSQL database of that name is created and populated the first
time and reused (not dropped) by later runs, for benchmarks whose populating takes minutes.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOWNS, VILLAGES = 20, 20
HOST = "localhost"  # the host the benchmarks' test clients send; allowed whatever the caller's environment says


def run_backend(script: str, label: str, env: dict, *, fresh: bool = True) -> None:
    env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "config.settings", "QINGDAN_ENV": "dev", "DJANGO_DEBUG": "false",
           "DJANGO_ALLOWED_HOSTS": HOST}
    manage = [sys.executable, str(ROOT / "manage.py")]
    if fresh:
        t = time.perf_counter()
        subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
        subprocess.run([*manage, "generate_county", "--towns", str(TOWNS), "--villages-per-town", str(VILLAGES)],
                       env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        print(f"[{label}] fresh database, migrate + generate_county: {time.perf_counter() - t:.1f} s")
    subprocess.run([sys.executable, script, "--inner", label], env=env, check=True, cwd=ROOT)


def on_sqlite(script: str) -> None:
    with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as tmp:
        run_backend(script, "sqlite", {"QINGDAN_VAR_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"})


def on_postgres(script: str, url: str, keep: str | None = None) -> None:
    import psycopg

    name = keep or f"qingdan_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as tmp:
            run_backend(script, "postgresql", {"QINGDAN_VAR_DIR": tmp, "DATABASE_URL": f"{url.rsplit('/', 1)[0]}/{name}"},
                        fresh=not exists)
    finally:
        if not keep:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(script: str, inner) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true", help="run on a fresh SQLite file (default when --pg is absent)")
    parser.add_argument("--pg", metavar="URL", help="PostgreSQL server URL; a fresh database is created on it and dropped after")
    parser.add_argument("--keep", metavar="DBNAME", help="with --pg: keep (and reuse) the populated database of this name")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        return inner(args.inner)
    if args.sqlite or not args.pg:
        on_sqlite(script)
    if args.pg:
        on_postgres(script, args.pg, args.keep)


def alternate(runs: int, **fns) -> dict:
    """Time each function ``runs`` times alternately (a, b, a, b, …), so that load from other
    processes falls on all of them alike. Per name: (best seconds, median seconds, last result)."""
    times = {name: [] for name in fns}
    out = {}
    for _i in range(runs):
        for name, fn in fns.items():
            t = time.perf_counter()
            out[name] = fn()
            times[name].append(time.perf_counter() - t)
    return {name: (min(ts), sorted(ts)[len(ts) // 2], out[name]) for name, ts in times.items()}


def best(fn, runs: int):
    """The best of ``runs`` timings of ``fn`` (seconds) and its last result."""
    return alternate(runs, fn=fn)["fn"][0::2]
