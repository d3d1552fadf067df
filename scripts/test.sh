#!/usr/bin/env bash
# `make test` (and .ci/run): everything a clean Debian 12 box with python3.11/git/make needs.
#  a) as root, apt-get install $APT_PKGS if any is missing     b) make venv
#  c) throwaway PostgreSQL ($PG_TEST_PORT) + Redis ($REDIS_TEST_PORT) on 127.0.0.1, stopped on exit
#  d) compilemessages, check --fail-level WARNING, makemigrations --check
#  e) scripts/smoke_embedded.sh (SQLite + filesystem:// broker + real worker)
#  f) pytest (-n 2 unless PYTEST_ARGS says otherwise). 5 ("no tests") counts as a failure.
#  g) the soak (scripts/soak.sh, ~5 min: its own services, two web instances, two workers, a beat,
#     load and faults), last: its verdict is the final line. SOAK=0 skips it.
#  Exit code: pytest's if it failed, else the soak's.
# Phase timings go to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
MAKE=${MAKE:-make}
APT_PKGS=${APT_PKGS:-redis-server postgresql chromium fonts-wqy-microhei fonts-crosextra-carlito gettext libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils}
PG_TEST_PORT=${PG_TEST_PORT:-55439}
REDIS_TEST_PORT=${REDIS_TEST_PORT:-6391}
PY=.venv/bin/python
unset DJANGO_SETTINGS_MODULE QINGDAN_ENV CELERY_BROKER_URL CELERY_RESULT_BACKEND

# Every process started from here inherits this; the exit trap uses it to find stray workers.
export QINGDAN_TEST_RUN="$$-${EPOCHSECONDS}"

# --- timing -----------------------------------------------------------------------
_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$t"; }
_fmt() { printf '%d.%ds' $(($1 / 1000000)) $(($1 % 1000000 / 100000)); }
T0=$(_us); _phase=; _pt=; timings=()
phase() {  # phase NAME — ends the previous phase, starts the next (no arg: just end)
  if [[ -n $_phase ]]; then
    local d=$(( $(_us) - _pt ))
    timings+=("$_phase $(_fmt "$d")")
    printf '[test] %-9s %s\n' "$_phase" "$(_fmt "$d")" >&2
  fi
  _phase=${1:-}; _pt=$(_us)
}

# --- cleanup --------------------------------------------------------------------------
# Celery workers still running from this run (smoke, or started by tests), found by the
# QINGDAN_TEST_RUN value in their environment — never by name alone.
stray_workers() {
  local f pid
  for f in $(grep -lsa celery /proc/[0-9]*/cmdline 2>/dev/null); do
    pid=${f#/proc/}; pid=${pid%/cmdline}
    [[ $pid == "$$" ]] && continue
    grep -qsa "QINGDAN_TEST_RUN=$QINGDAN_TEST_RUN" "/proc/$pid/environ" && echo "$pid"
  done
}
cleanup() {
  local pids
  pids=$(stray_workers || true)
  if [[ -n $pids ]]; then
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 50); do [[ -z $(stray_workers || true) ]] && break; sleep 0.1; done
    pids=$(stray_workers || true); [[ -n $pids ]] && kill -KILL $pids 2>/dev/null || true
  fi
  REDIS_PORT=$REDIS_TEST_PORT scripts/redis.sh stop >/dev/null 2>&1 || true
  PG_PORT=$PG_TEST_PORT scripts/pg.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- a) system packages ---------------------------------------------------------------
phase apt
if command -v dpkg-query >/dev/null; then
  missing=()
  for p in $APT_PKGS; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || missing+=("$p")
  done
  if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]]; then
      echo "[test] installing missing Debian packages: ${missing[*]}" >&2
      log=$(mktemp /tmp/qingdan-apt.XXXXXX.log)
      if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
             apt-get install -y -q --no-install-recommends $APT_PKGS; } >"$log" 2>&1; then
        tail -n 40 "$log" >&2; echo "[test] apt-get failed (full log: $log)" >&2; exit 1
      fi
      rm -f "$log"
    else
      echo "[test] WARNING: missing Debian packages: ${missing[*]} (as root: apt-get install -y --no-install-recommends $APT_PKGS)" >&2
    fi
  fi
else
  echo "[test] WARNING: not Debian (no dpkg-query); assuming $APT_PKGS are provided" >&2
fi

# --- b) venv ---------------------------------------------------------------------------
phase venv
"$MAKE" --no-print-directory venv

# --- c) services -------------------------------------------------------------------------
phase services
pg_env=$(PG_PORT=$PG_TEST_PORT scripts/pg.sh start) || { echo "[test] PostgreSQL did not start" >&2; exit 1; }
redis_env=$(REDIS_PORT=$REDIS_TEST_PORT scripts/redis.sh start) || { echo "[test] Redis did not start" >&2; exit 1; }
eval "$pg_env"; eval "$redis_env"
export DATABASE_URL REDIS_URL

# --- d) Django checks ----------------------------------------------------------------------
phase checks
if [[ -d locale ]] || compgen -G '*/locale' >/dev/null; then
  $PY manage.py compilemessages --ignore='.venv*' -v0
fi
$PY manage.py check --fail-level WARNING
$PY manage.py makemigrations --check --dry-run

# --- e) embedded-default smoke ---------------------------------------------------------------
phase smoke
scripts/smoke_embedded.sh

# --- f) pytest ------------------------------------------------------------------------------
phase
printf '[test] before pytest: %s (total %s)\n' "$(IFS=,; echo "${timings[*]}" | sed 's/,/, /g')" \
  "$(_fmt $(( $(_us) - T0 )))" >&2
rc=0
# Two xdist workers (the suite takes ~6 min on 2 cores instead of ~10); PYTEST_ARGS="-n 0" runs it serially.
QINGDAN_REQUIRE_SERVICES=1 $PY -m pytest ${PYTEST_ARGS:--n 2} || rc=$?
# 5 = no tests collected: a failure here.
((rc == 5)) && rc=1

# --- g) the soak ----------------------------------------------------------------------------
if [[ ${SOAK:-1} != 0 ]]; then
  soak_rc=0
  scripts/soak.sh || soak_rc=$?  # it prints its own timings; its verdict stays the last line
  ((rc == 0)) && rc=$soak_rc
fi
exit "$rc"
