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
fake_pids=()
stop_fakes() {
  local pid
  for pid in "${fake_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  done
  fake_pids=()
}
trap 'stop_worker; stop_fakes' EXIT
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

# The links in personal messages and SMS point at this server.
export QINGDAN_SITE_URL=${QINGDAN_SITE_URL:-http://127.0.0.1:$PORT}

# Work apps: with no real corp id configured, local fakes of 企业微信 and 钉钉 stand in (sign-in
# from the "phone" page, personal messages shown there). Loopback over http is allowed for them.
if [[ -z "${QINGDAN_WECOM_CORP_ID:-}" && -z "${QINGDAN_DINGTALK_APP_KEY:-}" ]]; then
  WECOM_FAKE=${WECOM_FAKE_PORT:-18801}; DING_FAKE=${DINGTALK_FAKE_PORT:-18802}
  export QINGDAN_WECOM_CORP_ID=fake-corp QINGDAN_WECOM_SECRET=fake-secret QINGDAN_WECOM_AGENT_ID=1000002
  export QINGDAN_WECOM_API_URL=http://127.0.0.1:$WECOM_FAKE
  export QINGDAN_WECOM_AUTHORIZE_URL=http://127.0.0.1:$WECOM_FAKE/connect/oauth2/authorize
  export QINGDAN_DINGTALK_APP_KEY=fake-corp QINGDAN_DINGTALK_APP_SECRET=fake-secret QINGDAN_DINGTALK_AGENT_ID=2000001
  export QINGDAN_DINGTALK_CORP_ID=dingfakecorp
  export QINGDAN_DINGTALK_API_URL=http://127.0.0.1:$DING_FAKE
  export QINGDAN_DINGTALK_AUTHORIZE_URL=http://127.0.0.1:$DING_FAKE/_auth
  export QINGDAN_WEBHOOK_ALLOW_HTTP=true QINGDAN_WEBHOOK_ALLOW_PRIVATE=true
  demo_userids=$($PY manage.py seed_workapp_demo)
  $PY -m workapp.fake --wecom-port "$WECOM_FAKE" --dingtalk-port "$DING_FAKE" --users "$demo_userids" \
    --site-url "$QINGDAN_SITE_URL" >>var/log/workapp-fakes.log 2>&1 </dev/null &
  fake_pids+=($!)
  fakes_banner="  Work apps (local fakes): phones at http://127.0.0.1:$WECOM_FAKE/_phone/ (企业微信)
    and http://127.0.0.1:$DING_FAKE/_phone/ (钉钉); every demo person is bound (user id = user name)."
else
  fakes_banner="  Work apps: the configured corp (no local fakes)."
fi

# SMS: with no gateway configured, a local fake gateway stands in; every demo person gets a made-up
# 199… number with SMS on, and the fake's "phone" page shows the SMS each one received.
if [[ -z "${QINGDAN_SMS_URL:-}" ]]; then
  SMS_FAKE=${SMS_FAKE_PORT:-18803}
  export QINGDAN_SMS_URL=http://127.0.0.1:$SMS_FAKE/sms/send QINGDAN_SMS_API_KEY=demo-sms-key
  export QINGDAN_SMS_SIGN=示范县纪委监委 QINGDAN_SMS_TEMPLATE_ID=QD_REMINDER_1
  sms_people=$($PY manage.py seed_sms_demo)
  $PY -m notifications.fake_sms --port "$SMS_FAKE" --key "$QINGDAN_SMS_API_KEY" --sign "$QINGDAN_SMS_SIGN" \
    --template "$QINGDAN_SMS_TEMPLATE_ID" --people "$sms_people" >>var/log/sms-fake.log 2>&1 </dev/null &
  fake_pids+=($!)
  sms_banner="  SMS (local gateway fake): phone at http://127.0.0.1:$SMS_FAKE/_phone/ (every demo person has
    a made-up 199… number and SMS switched on)."
else
  sms_banner="  SMS: the configured gateway (no local fake)."
fi

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
$fakes_banner
$sms_banner
  Ctrl-C stops everything.
$bar

BANNER

# Not exec: the EXIT trap must run after runserver ends.
$PY manage.py runserver --nostatic "127.0.0.1:$PORT"
