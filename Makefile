# Cercle — every command sets up what it needs first. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := cercle.settings
# Development commands run with DEBUG on unless told otherwise; `worker`, `scheduler` and `backup`
# take the environment as it is (production needs SITE_URL), and `serve` turns DEBUG off.
DEV := DEBUG=$${DEBUG:-true}

.PHONY: run serve test setup install demo worker scheduler backup lint format messages bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## The database, its cache table and the places of GeoNames.
setup: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py createcachetable
	$(DEV) $(PY) manage.py load_cities

## Everything, then the demo data, the task worker, the scheduler and the web server on http://$(HOST):$(PORT)
run: setup
	$(DEV) $(PY) manage.py load_demo
	$(DEV) HOST=$(HOST) PORT=$(PORT) PY=$(PY) bin/serve

## Production: gunicorn, two workers (mail+default, feeds+matching) and the scheduler, from the
## environment (SITE_URL required; DATABASE_URL and REDIS_URL optional). See README.md.
serve: setup
	DEBUG=false $(PY) manage.py check --deploy
	DEBUG=false $(PY) manage.py collectstatic --noinput -v0
	DEBUG=false HOST=$(HOST) PY=$(PY) $(VENV)/bin/honcho --no-colour start -f Procfile -p $(PORT)

demo: setup
	$(DEV) $(PY) manage.py load_demo --reset

## A task worker for every queue (database queue, or RQ when REDIS_URL is set), e.g. beside gunicorn.
worker: setup
	PY=$(PY) bin/worker

scheduler: setup
	$(PY) manage.py scheduler

backup: setup
	$(PY) manage.py backup

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
	$(DEV) $(PY) manage.py makemessages -l fr --ignore=.venv --ignore=var --no-obsolete
	$(DEV) $(PY) manage.py compilemessages --ignore=.venv

bench: setup
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(DEV) $(PY) bench/run.py $(BENCH)

clean:
	rm -rf var/static var/media var/*.sqlite3*
