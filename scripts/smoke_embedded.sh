#!/usr/bin/env bash
# The embedded-default smoke (part of `make test`): fresh SQLite DB + fresh var dir, no Redis,
# Celery on the filesystem:// broker — a real `celery worker -B` consumes a real task enqueued by
# `manage.py celery_smoke`, which exits non-zero on failure or timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
tmp=$(mktemp -d /tmp/qingdan-smoke.XXXXXX)

unset REDIS_URL CELERY_BROKER_URL CELERY_RESULT_BACKEND DJANGO_SETTINGS_MODULE QINGDAN_MEDIA_ROOT
export QINGDAN_ENV=dev
export DATABASE_URL="sqlite:///$tmp/smoke.sqlite3"
export QINGDAN_VAR_DIR="$tmp/var"
mkdir -p "$QINGDAN_VAR_DIR"/celery/{out,processed,control,results} "$QINGDAN_VAR_DIR/media"

# shellcheck source=scripts/lib.sh
source scripts/lib.sh  # group_alive
worker_pid=
ok=0
cleanup() {
  if [[ -n "$worker_pid" ]]; then
    # A warm shutdown of `worker -B` takes ~5-6 s; this throwaway worker owns nothing but $tmp,
    # so kill its whole process group (main, pool, beat) outright.
    kill -KILL -- "-$worker_pid" 2>/dev/null || true
    for _ in $(seq 50); do group_alive "$worker_pid" || break; sleep 0.1; done
    wait "$worker_pid" 2>/dev/null || true
  fi
  if [[ $ok == 1 ]]; then
    rm -rf "$tmp"
  else
    echo "smoke_embedded: FAILED — last worker log lines ($tmp/celery.log):" >&2
    tail -n 40 "$tmp/celery.log" >&2 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

$PY manage.py migrate --noinput -v0

setsid .venv/bin/celery -A config worker -B --concurrency 1 -l info -n "smoke-$$@%h" \
  >"$tmp/celery.log" 2>&1 </dev/null &
worker_pid=$!

$PY manage.py celery_smoke
ok=1
echo "smoke_embedded: ok (filesystem:// broker, SQLite, real worker)" >&2
