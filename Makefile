# uebergang: `make run` starts the product with the demo network, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Find a Python >= 3.12: the one .python-version names through pyenv, then the usual names.
PYTHON ?= $(shell for p in $$HOME/.pyenv/versions/$$(cat .python-version 2>/dev/null)*/bin/python \
	python3.13 python3.12 python3.14 python3; do \
	  c=$$(command -v $$p 2>/dev/null || ls $$p 2>/dev/null) || continue; \
	  [ -n "$$c" ] && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	    && { echo $$c; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup assets run test lint format migrate demo check-python clean bench

help:
	@echo "make run    set everything up, load the demo network and serve http://$(HOST):$(PORT)"
	@echo "make test   set everything up and run the whole test suite"
	@echo "make lint   ruff check and ruff format --check"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "uebergang needs Python 3.12 or newer (3.13 preferred, see .python-version)."; \
	  echo "Install it (e.g. 'pyenv install 3.13' or 'apt-get install python3') and run make again,"; \
	  echo "or name one: make run PYTHON=/path/to/python3.13"; exit 1; fi

$(VENV)/.installed: pyproject.toml | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

frontend/node_modules/.installed: frontend/package.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end assets (apt-get install npm)"; exit 1; }
	cd frontend && npm install --no-audit --no-fund --silent
	@touch $@

# KERN UX (EUPL-1.2) is copied from npm into the static folder; htmx comes with django-htmx.
assets: frontend/node_modules/.installed
	@mkdir -p uebergang/static/vendor/kern
	@cp -r frontend/node_modules/@kern-ux/native/dist/kern.min.css \
	       frontend/node_modules/@kern-ux/native/dist/kern-utilities.min.css \
	       frontend/node_modules/@kern-ux/native/dist/fonts \
	       frontend/node_modules/@kern-ux/native/dist/js \
	       frontend/node_modules/@kern-ux/native/LICENSE* uebergang/static/vendor/kern/ 2>/dev/null || true
	@test -f uebergang/static/vendor/kern/kern.min.css

setup: $(VENV)/.installed assets
	@mkdir -p var

migrate: setup
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

run: demo
	@echo
	@echo "  uebergang läuft auf http://$(HOST):$(PORT)/"
	@$(MANAGE) demo_signin
	@echo
	@trap 'kill 0' EXIT INT TERM; \
	  $(MANAGE) db_worker & \
	  DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(MANAGE) runserver $(HOST):$(PORT)

# The suite runs in parallel (pytest-xdist), one worker per core; PYTEST_WORKERS=0 runs it in
# one process. UEBERGANG_CLOCK=+400d (or a day, 2027-03-28) moves the clock for the whole run.
PYTEST_WORKERS ?= auto
test: setup
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var frontend/node_modules uebergang/static/vendor

bench: setup
	@command -v wrk >/dev/null || apt-get install -y -qq wrk
	$(PY) bench/run.py $(BENCH_ARGS)
