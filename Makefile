# qingdan — developer entry points (GNU make, bash).
#   make run     embedded single-machine app: SQLite + Celery filesystem broker, http://127.0.0.1:$(PORT)/
#   make test    full check: system packages, PostgreSQL + Redis on loopback, checks, Celery smoke, pytest
#   make venv    .venv from requirements-dev.lock (reinstalls only when the lock changes)
#   make scan    wapiti + sqlmap against the demo county on loopback, signed in (minutes; not in make test)
#   make soak    the multi-process set-up under load and faults, judged (~5 min; make test runs it last)
#   make clean   remove var/ and staticfiles/
#   make lock    regenerate requirements*.lock from requirements*.in (scripts/lock.sh)
#   make vendor  refresh static/vendor/ from frontend/package-lock.json (needs node/npm)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PORT ?= 8000
SCAN_PORT ?= 18796
# Debian packages `make test` needs (LibreOffice, poppler-utils and Carlito, the metric twin of Excel's
# Calibri: the workbooks and letters are printed to PDF headless and measured).
APT_PKGS ?= redis-server postgresql chromium fonts-wqy-microhei fonts-crosextra-carlito gettext libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils
PG_TEST_PORT ?= 55439
REDIS_TEST_PORT ?= 6391
# Extra pytest arguments for `make test` (default there: -n 2; "-n 0" runs serially).
PYTEST_ARGS ?=

VENV := .venv
LOCK := requirements-dev.lock
LOCK_SHA := $(shell sha256sum $(LOCK) 2>/dev/null | cut -c1-16)
STAMP := $(VENV)/.stamp-$(LOCK_SHA)
# python3.11, or python3 if that is 3.11.
PYTHON ?= $(shell if command -v python3.11 >/dev/null 2>&1; then echo python3.11; \
  elif python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then echo python3; fi)

export APT_PKGS PG_TEST_PORT REDIS_TEST_PORT PYTEST_ARGS

.PHONY: help venv run test scan soak clean lock vendor

help:
	@sed -n '2,9s/^# \{0,1\}//p' Makefile

venv: $(STAMP)
	@:

$(STAMP):
	@if [[ -z "$(PYTHON)" ]]; then echo "make venv: Python 3.11 not found (need python3.11 or python3 = 3.11)" >&2; exit 1; fi
	@if [[ -x $(VENV)/bin/python ]] && ! $(VENV)/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then \
	  echo "make venv: $(VENV) is broken or not Python 3.11; recreating" >&2; rm -rf $(VENV); fi
	@if [[ ! -x $(VENV)/bin/python ]]; then echo "make venv: creating $(VENV) with $(PYTHON)" >&2; $(PYTHON) -m venv $(VENV); fi
	@echo "make venv: installing $(LOCK) ($(LOCK_SHA))" >&2
	@$(VENV)/bin/python -m pip install --disable-pip-version-check -q -r $(LOCK) 2>&1 | { grep -v ' is ignored' || true; }
	@$(VENV)/bin/python -m pip check >/dev/null || { $(VENV)/bin/python -m pip check >&2; exit 1; }
	@rm -f $(VENV)/.stamp-*
	@touch $@

run: venv
	@PORT=$(PORT) scripts/run.sh

test:
	@MAKE="$(MAKE)" scripts/test.sh

scan: venv
	@SCAN_PORT=$(SCAN_PORT) scripts/scan.sh

soak: venv
	@scripts/soak.sh

clean:
	rm -rf var staticfiles

lock:
	scripts/lock.sh

vendor:
	scripts/vendor_assets.sh
