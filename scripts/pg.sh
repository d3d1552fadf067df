#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests/dev: scripts/pg.sh start|stop|status
#   PG_PORT (default 55432). Data under /tmp/qingdan-pg-$PG_PORT, listens on 127.0.0.1 only,
#   trust auth, fsync off: never use for real data. `start` recreates the cluster from scratch,
#   creates database "qingdan" and prints:  export DATABASE_URL=postgres://postgres@127.0.0.1:PORT/qingdan
#   (so: eval "$(scripts/pg.sh start)"). Everything else goes to stderr.
# As root, initdb/pg_ctl run as the "postgres" user via runuser (initdb refuses root).
set -euo pipefail
PORT=${PG_PORT:-55432}
DIR=/tmp/qingdan-pg-$PORT
DB=qingdan

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [[ -z "$PGBIN" || ! -x "$PGBIN/initdb" ]]; then
  echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1
fi

if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || { echo "pg.sh: no 'postgres' user (apt-get install postgresql)" >&2; exit 1; }
  as_pg() { runuser -u postgres -- "$@"; }
  OWNER=postgres
else
  as_pg() { "$@"; }
  OWNER=$(id -un)
fi

# kill -0 also succeeds on a zombie (PID 1 in a container may be slow to reap): state Z = gone.
alive() { [[ -r /proc/$1/stat ]] && [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

stop() {
  if [[ -f "$DIR/data/postmaster.pid" ]]; then
    as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    # pg_ctl failed (e.g. the data dir was half-deleted): kill the postmaster by its pid.
    local pid
    pid=$(head -1 "$DIR/data/postmaster.pid" 2>/dev/null || true)
    if [[ -n "$pid" ]] && alive "$pid" && grep -q postgres "/proc/$pid/comm" 2>/dev/null; then
      kill -QUIT "$pid" 2>/dev/null || true
      for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    fi
  fi
  rm -rf "$DIR"
}

start() {
  stop
  mkdir -p "$DIR/sock"
  chown -R "$OWNER" "$DIR"
  chmod 700 "$DIR"
  if ! as_pg "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$DIR/initdb.log" 2>&1; then
    cat "$DIR/initdb.log" >&2; echo "pg.sh: initdb failed" >&2; exit 1
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 -o \
        "-p $PORT -k $DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >/dev/null; then
    cat "$DIR/server.log" >&2; echo "pg.sh: could not start PostgreSQL on 127.0.0.1:$PORT" >&2; exit 1
  fi
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
  echo "pg.sh: PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}') on 127.0.0.1:$PORT (data $DIR)" >&2
  echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/$DB"
}

case "${1:-}" in
  start) start ;;
  stop) stop; echo "pg.sh: stopped 127.0.0.1:$PORT" >&2 ;;
  status) as_pg "$PGBIN/pg_ctl" -D "$DIR/data" status ;;
  *) echo "usage: $0 start|stop|status   (port: PG_PORT, default 55432)" >&2; exit 2 ;;
esac
