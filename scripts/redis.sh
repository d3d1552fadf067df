#!/usr/bin/env bash
# Throwaway redis-server: scripts/redis.sh start|stop
#   REDIS_PORT (default 6390), 127.0.0.1 only, no persistence, daemonized. REDIS_AOF=1 keeps an
#   append-only file (fsync every second) in /tmp/qingdan-redis-$REDIS_PORT, as a broker should: a
#   `start` over a stopped instance then brings back what it held (the soak restarts Redis so).
#   Pid/log in /tmp/qingdan-redis-$REDIS_PORT.{pid,log}. `start` stops a stale instance first and
#   prints:  export REDIS_URL=redis://127.0.0.1:PORT/0   (so: eval "$(scripts/redis.sh start)").
set -euo pipefail
# Under `faketime … make test` Redis and redis-cli keep the real clock: they deadlock in
# libfaketime's clock_gettime hook at start. Redis decides no business date.
if [[ ${LD_PRELOAD:-} == *faketime* ]]; then
  exec env -u LD_PRELOAD -u FAKETIME -u FAKETIME_NO_CACHE bash "$0" "$@"
fi
PORT=${REDIS_PORT:-6390}
PIDFILE=/tmp/qingdan-redis-$PORT.pid
LOG=/tmp/qingdan-redis-$PORT.log
DIR=/tmp/qingdan-redis-$PORT

command -v redis-server >/dev/null || { echo "redis.sh: redis-server not found (apt-get install redis-server)" >&2; exit 1; }

# kill -0 also succeeds on a zombie, and a daemonized redis is reaped by PID 1 (which in a
# container may be slow to reap): treat state Z as gone.
alive() { [[ -r /proc/$1/stat ]] && [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

stop() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  if [[ -n "$pid" ]] && alive "$pid" && grep -q redis "/proc/$pid/comm" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.05; done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$PIDFILE"
}

start() {
  stop
  mkdir -p "$DIR"
  : >"$LOG"
  local aof=(--appendonly no)
  [[ ${REDIS_AOF:-0} == 1 ]] && aof=(--appendonly yes --appendfsync everysec)
  redis-server --daemonize yes --bind 127.0.0.1 --port "$PORT" --save "" "${aof[@]}" \
    --dir "$DIR" --pidfile "$PIDFILE" --logfile "$LOG" --protected-mode yes
  for _ in $(seq 100); do
    if redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; then
      echo "redis.sh: redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2) on 127.0.0.1:$PORT" >&2
      echo "export REDIS_URL=redis://127.0.0.1:$PORT/0"
      return 0
    fi
    sleep 0.05
  done
  cat "$LOG" >&2; echo "redis.sh: redis did not answer on 127.0.0.1:$PORT" >&2; exit 1
}

case "${1:-}" in
  start) start ;;
  stop) stop; echo "redis.sh: stopped 127.0.0.1:$PORT" >&2 ;;
  *) echo "usage: $0 start|stop   (port: REDIS_PORT, default 6390)" >&2; exit 2 ;;
esac
