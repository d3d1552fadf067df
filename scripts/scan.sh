#!/usr/bin/env bash
# `make scan`: the app with the demo county on loopback, attacked by wapiti and sqlmap signed in
# as county staff (jw_staff); prints the findings. Not part of `make test` (it takes minutes and
# pulls its tools from PyPI once).
#
# - Tools: wapiti3 and sqlmap in their own venv (.venv-scan, from requirements-scan.lock), so the
#   app's locks stay clean.
# - App: a copy of a seeded SQLite demo county under var/scan/ (seeded once, under the keys kept
#   in var/scan/keys.env, ~2 min; later runs copy it and only migrate + re-seed, ~15 s), served
#   by gunicorn in production mode (DEBUG off, hashed + compressed static files, production
#   headers) on 127.0.0.1:$SCAN_PORT, plain http (TLS belongs to the reverse proxy, so SSL
#   redirect is off here).
# - Bounds: wapiti's crawl (depth 3, 20 links a page, 8 files a folder, SCAN_WAPITI_CRAWL_SECONDS)
#   and each attack module's time (SCAN_WAPITI_MODULE_SECONDS); sqlmap crawls to depth 2 and
#   tests every parameter of the links and forms it finds (SQLite payloads: boolean-blind,
#   error and UNION techniques, level 1, risk 1; the CSRF token is sent, not attacked) until
#   SCAN_SQLMAP_SECONDS. The two run side by side.
# - Left alone: sign-out and password change (the scan would end its own session), the admin.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
PORT=${SCAN_PORT:-18796}
WAPITI_CRAWL_SECONDS=${SCAN_WAPITI_CRAWL_SECONDS:-60}
WAPITI_MODULE_SECONDS=${SCAN_WAPITI_MODULE_SECONDS:-15}
SQLMAP_SECONDS=${SCAN_SQLMAP_SECONDS:-240}
PY=.venv/bin/python
TOOLS=.venv-scan
out=var/scan
base="http://127.0.0.1:$PORT"
[[ -x $PY ]] || { echo "scan.sh: no .venv — run 'make venv' first" >&2; exit 1; }
start=$(date +%s)

# --- tools ------------------------------------------------------------------
lock_sha=$(sha256sum requirements-scan.lock | cut -c1-16)
if [[ ! -f $TOOLS/.stamp-$lock_sha ]]; then
  echo "scan.sh: installing requirements-scan.lock into $TOOLS" >&2
  [[ -x $TOOLS/bin/python ]] || python3.11 -m venv "$TOOLS" 2>/dev/null || python3 -m venv "$TOOLS"
  "$TOOLS/bin/pip" install --disable-pip-version-check -q -r requirements-scan.lock 2>&1 | { grep -v ' is ignored' || true; }
  rm -f "$TOOLS"/.stamp-*; touch "$TOOLS/.stamp-$lock_sha"
fi

# --- the app ------------------------------------------------------------------
rm -rf "$out/run" "$out/wapiti" "$out/sqlmap" "$out/access.log"  # gunicorn appends: one run per log
mkdir -p "$out/run/media" "$out/run/celery"/{out,processed,control,results} "$out/wapiti" "$out/sqlmap"
unset REDIS_URL CELERY_BROKER_URL CELERY_RESULT_BACKEND DJANGO_SETTINGS_MODULE QINGDAN_MEDIA_ROOT
export QINGDAN_VAR_DIR="$root/$out/run" QINGDAN_MEDIA_ROOT="$root/$out/run/media" QINGDAN_STATIC_ROOT="$root/$out/static"
export DATABASE_URL="sqlite:///$root/$out/run/db.sqlite3"
# The 商用密码 keys (production requires them): the demo's encrypted fields and its audit chain are
# written under them at seeding and read under them when served, so they are made once and kept
# beside the seeded copy (a new set means a new seed).
keys=$out/keys.env
if [[ ! -f $keys ]]; then
  hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
  umask 077
  printf 'QINGDAN_AUDIT_KEYS=scan=%s\nQINGDAN_FIELD_KEYS=scan=%s\nQINGDAN_LOOKUP_KEY=scan=%s\nQINGDAN_BACKUP_KEYS=scan=%s\n' \
    "$(hex 32)" "$(hex 16)" "$(hex 32)" "$(hex 16)" >"$keys.new"
  umask 022
  rm -f "$out/seeded.sqlite3"; mv "$keys.new" "$keys"
fi
set -a; . "$keys"; set +a
if [[ -f $out/seeded.sqlite3 ]]; then cp "$out/seeded.sqlite3" "$out/run/db.sqlite3"; fi
echo "scan.sh: demo county (migrate + seed_demo)…" >&2
QINGDAN_ENV=dev $PY manage.py compilemessages --ignore='.venv*' -v0
QINGDAN_ENV=dev $PY manage.py migrate --noinput -v0
QINGDAN_ENV=dev $PY manage.py seed_demo >/dev/null
cp "$out/run/db.sqlite3" "$out/seeded.sqlite3"

export QINGDAN_ENV=production DJANGO_SECRET_KEY="scan-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1 QINGDAN_SITE_URL="$base" DJANGO_SECURE_SSL_REDIRECT=false DJANGO_HSTS_SECONDS=0
$PY manage.py collectstatic --noinput -v0

server_pid=
cleanup() {
  if [[ -n "$server_pid" ]]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# One worker, several threads: SQLite takes one writer at a time.
.venv/bin/gunicorn config.wsgi -b "127.0.0.1:$PORT" -w 1 --threads 4 --timeout 60 \
  --access-logfile "$out/access.log" >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -fs -o /dev/null "$base/accounts/login/" && break; sleep 0.2; done
# county staff sign in with a second factor: the demo's enrolled device gives the code (demo_totp)
code=$(QINGDAN_ENV=dev $PY manage.py demo_totp jw_staff)
cookie=$($PY scripts/scan_login.py "$base" jw_staff 'Qingdan@2026' "$code")
ready=$(date +%s)

# --- wapiti and sqlmap, side by side ----------------------------------------------
echo "scan.sh: wapiti and sqlmap (about $(( SQLMAP_SECONDS / 60 + 1 )) min)…" >&2
excluded=("$base/accounts/logout/" "$base/accounts/password/" "$base/admin/*" "$base/static/*" "$base/i18n/*")
wapiti_args=()
for x in "${excluded[@]}"; do wapiti_args+=(-x "$x"); done
"$TOOLS/bin/wapiti" -u "$base/" --scope folder -C "$cookie" "${wapiti_args[@]}" \
  -m "sql,exec,file,xss,permanentxss,redirect,crlf,csrf,upload,methods,http_headers,cookieflags,csp" \
  -d 3 --max-links-per-page 20 --max-files-per-dir 8 --max-parameters 12 --tasks 4 \
  --max-scan-time "$WAPITI_CRAWL_SECONDS" --max-attack-time "$WAPITI_MODULE_SECONDS" -t 20 --flush-session \
  --store-session "$out/wapiti/session" --store-config "$out/wapiti/config" \
  -f json -o "$out/wapiti/report.json" --no-bugreport -v 0 >"$out/wapiti/wapiti.log" 2>&1 &
wapiti_pid=$!
timeout --signal=INT "$SQLMAP_SECONDS" "$TOOLS/bin/sqlmap" -u "$base/" --cookie="$cookie" \
  --crawl=2 --crawl-exclude='logout|password|/admin/|/static/|/i18n/' --forms --skip=csrfmiddlewaretoken \
  --dbms=SQLite --technique=BEU --threads=4 --batch --level=1 --risk=1 --timeout=20 --retries=1 \
  --output-dir="$out/sqlmap" --results-file="$out/sqlmap/results.csv" --disable-coloring \
  >"$out/sqlmap/sqlmap.log" 2>&1 || true
sqlmap_done=$(date +%s)
wait "$wapiti_pid" || true
end=$(date +%s)

$PY scripts/scan_report.py "$out" "$out/access.log"
echo "scan.sh: took $((end - start)) s (app ready $((ready - start)) s, sqlmap $((sqlmap_done - ready)) s, wapiti $((end - ready)) s); reports under $out/" >&2
