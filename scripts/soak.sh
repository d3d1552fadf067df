#!/usr/bin/env bash
# `make soak` (and the last step of `make test`): the set-up of the README's "Running beyond one
# machine" on this machine — its own PostgreSQL and Redis, two gunicorn instances, two Celery
# workers, one beat — under SOAK_SECONDS (180) of load by SOAK_USERS (50) people while a worker
# is killed, Redis restarted and a web instance restarted; then the checks (soak/run.py). Exit
# status 1 if any check fails. Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x .venv/bin/python ]] || { echo "soak.sh: no .venv — run 'make venv' first" >&2; exit 1; }
unset DJANGO_SETTINGS_MODULE QINGDAN_ENV CELERY_BROKER_URL CELERY_RESULT_BACKEND
exec .venv/bin/python -m soak.run
