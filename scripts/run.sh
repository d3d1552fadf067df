#!/usr/bin/env bash
# `make run`: the embedded single-machine set-up, no env vars needed.
# SQLite at var/db.sqlite3, Celery on kombu's filesystem:// broker under var/celery (the Django
# settings choose these when DATABASE_URL / REDIS_URL / CELERY_BROKER_URL are unset).
# Starts `celery worker -B` in the background (var/log/celery.log) and runserver in the foreground;
# Ctrl-C (or TERM, or any exit) stops the worker's whole process group too.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
PY=.venv/bin/python
[[ -x $PY ]] || { echo "run.sh: no .venv — use 'make run'" >&2; exit 1; }

mkdir -p var/celery/{out,processed,control,results} var/media var/log

# shellcheck source=scripts/lib.sh
source scripts/lib.sh  # group_alive
worker_pid=
stop_worker() {
  [[ -n "$worker_pid" ]] || return 0
  local pid=$worker_pid; worker_pid=
  if kill -0 "$pid" 2>/dev/null; then
    echo "run.sh: stopping celery worker (pgid $pid)…" >&2
    kill -TERM "$pid" 2>/dev/null || true   # warm shutdown (~5 s with -B); the main process stops its pool and beat
    for _ in $(seq 100); do group_alive "$pid" || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
trap 'stop_worker' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -d locale ]] || compgen -G '*/locale' >/dev/null; then
  $PY manage.py compilemessages --ignore='.venv*' -v0
fi
$PY manage.py migrate --noinput
# Static files are served by WhiteNoise from STATIC_ROOT, gzip-compressed as in production
# (runserver --nostatic below); re-run `manage.py collectstatic` after editing static/.
$PY manage.py collectstatic --noinput -v0
seed_out=$($PY manage.py seed_demo)
printf '%s\n' "$seed_out"

# Own session/process group (setsid), so the terminal's Ctrl-C doesn't hit it mid-task and
# stop_worker can kill the worker, its pool children and embedded beat in one go.
setsid .venv/bin/celery -A config worker -B --concurrency 2 -l info >>var/log/celery.log 2>&1 </dev/null &
worker_pid=$!
sleep 0.5
if ! group_alive "$worker_pid"; then
  tail -n 30 var/log/celery.log >&2; echo "run.sh: celery worker failed to start (var/log/celery.log)" >&2; exit 1
fi

bar='================================================================'
cat >&2 <<BANNER

$bar
  qingdan: http://127.0.0.1:$PORT/

  Demo accounts (printed by seed_demo above):
$(printf '%s\n' "$seed_out" | sed 's/^/    /')

  Celery worker + beat: pid $worker_pid, log var/log/celery.log
  Ctrl-C stops everything.
$bar

BANNER

# Not exec: the EXIT trap must run after runserver ends.
$PY manage.py runserver --nostatic "127.0.0.1:$PORT"
