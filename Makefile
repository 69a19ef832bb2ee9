# Kumppanuus: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

export DJANGO_SETTINGS_MODULE := kumppanuus.settings

.PHONY: run test install install-dev messages compilemessages lint bench audit screenshots clean browser gettext

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# gettext's msgfmt compiles the translations; install it if the machine lacks it.
gettext:
	@command -v msgfmt >/dev/null || { echo "Installing gettext (msgfmt)…"; \
	  (apt-get update -qq && apt-get install -y -qq gettext) >/dev/null || \
	  { echo "gettext is missing: install it (apt-get install gettext)"; exit 1; }; }

# DEBUG=true: settings.py refuses to start with DEBUG off and no SECRET_KEY of its own (issue 11), and
# these local commands need neither; a DEBUG or SECRET_KEY set in the environment wins.
DEV := DEBUG=$${DEBUG:-true}

compilemessages: gettext install
	$(DEV) $(PY) manage.py compilemessages --ignore=.venv -v0

# Refresh the catalogues after changing user-facing strings; then translate the new entries.
messages: install
	$(DEV) $(PY) manage.py makemessages -l fi -l sv --ignore=.venv --ignore=staticfiles --no-obsolete --no-location

## make run: the embedded default (SQLite, eager Celery, console e-mail) unless DATABASE_URL/REDIS_URL are set.
run: install compilemessages
	$(DEV) $(PY) manage.py migrate --no-input -v1
	$(DEV) $(PY) manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/"
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite against the real PostgreSQL and Redis on this machine.
test: export DATABASE_URL ?= postgres://postgres@localhost:5432/kumppanuus
test: export REDIS_URL ?= redis://localhost:6379/0
test: export SECRET_KEY ?= only-for-the-test-suite-not-a-secret-0123456789abcdef
test: install-dev compilemessages browser
	$(VENV)/bin/pytest

# Debian's Chromium for the browser tests (e2e/); Playwright's own browser download cannot work here.
browser:
	e2e/install_browser.sh

## make screenshots: refresh docs/screenshots/ (the README's pictures) from the browser tests.
screenshots: export DATABASE_URL ?= postgres://postgres@localhost:5432/kumppanuus
screenshots: export REDIS_URL ?= redis://localhost:6379/0
screenshots: export SECRET_KEY ?= only-for-the-test-suite-not-a-secret-0123456789abcdef
screenshots: install-dev compilemessages browser
	SCREENSHOTS=1 $(VENV)/bin/pytest e2e -q

## make bench: the benchmarks of issue 6 (docs/performance.md) on their own database (kumppanuus_bench)
## and Redis db 12; the first run fills it with generate_scale_data (~1 minute). BENCH_SECONDS=10 for a
## quick run, BENCH_REBUILD=1 to make the data afresh, BENCHMARKS="pages reminders" for some of them.
bench: install-dev compilemessages
	@command -v wrk >/dev/null || { echo "Installing wrk…"; \
	  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null || \
	  { echo "wrk is missing: install it (apt-get install wrk)"; exit 1; }; }
	$(PY) bench/run.py $(BENCHMARKS)

## make audit: known vulnerabilities in the pinned requirements (PyPI's advisory data; needs the internet).
## --strict fails when a package could not be checked, so an unreachable service is never a clean result.
audit: install-dev
	$(VENV)/bin/pip-audit --strict --progress-spinner off --requirement requirements.txt --requirement requirements-dev.txt

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
