# Cercle — every command sets up what it needs first. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := cercle.settings

.PHONY: run test setup install demo worker lint format messages bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## The database, its cache table and the places of GeoNames.
setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_cities

## Everything, then the demo data, the task worker and the web server on http://$(HOST):$(PORT)
run: setup
	$(PY) manage.py load_demo
	DEBUG=true HOST=$(HOST) PORT=$(PORT) PY=$(PY) bin/serve

demo: setup
	$(PY) manage.py load_demo --reset

worker: setup
	if [ -n "$$REDIS_URL" ]; then $(PY) manage.py rqworker default; else $(PY) manage.py db_worker; fi

## Everything, then lint and the whole test suite (SQLite unless DATABASE_URL says otherwise).
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

messages: install
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

bench: setup
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/run.py $(BENCH)

clean:
	rm -rf var/static var/media var/*.sqlite3*
