# Zicht: `make demo` sets everything up and serves the portal; `make test` runs the test suite.
# Both work on a fresh Debian or Ubuntu machine: missing system packages are installed first.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Debian's own Python can load SQLite extensions (SpatiaLite); some other builds cannot.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11 /usr/bin/python3))
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
VINTAGE ?= 2024

# Settings read the environment; pass DATA_DIR (and DATABASE_URL, ...) through when given.
ifdef DATA_DIR
export DATA_DIR
endif

SYSTEM_PACKAGES := gdal-bin libsqlite3-mod-spatialite gettext python3-venv python3-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help system-deps install migrate data demo-data demo serve test bench lock clean

help:
	@echo "make demo    install, migrate, load the open data, create the demo organisations and accounts, serve on http://127.0.0.1:$(PORT)"
	@echo "make test    run the whole test suite"
	@echo "make bench   import times, the whole pipeline, a national recalculation with disclosure control, web file sizes, peak memory"

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

$(VENV)/.installed: requirements.lock
	@[ -x "$(PY)" ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	@touch $@

install: system-deps $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=$(VENV) -v 0

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0

data: migrate
	$(PY) manage.py load_geography --vintage $(VINTAGE)

# The synthetic register extracts (seeded, marked synthetic) go with the open data in one run.
demo-data: data
	$(PY) manage.py generate_synthetic_extracts --out var/synthetic --seed 2024
	$(PY) manage.py load_open_data var/synthetic/*.csv --publish
	$(PY) manage.py create_demo_accounts

# Served as production serves (gunicorn, DEBUG off, collected static files); DEBUG=true make demo
# turns Django's debug pages on.
demo: demo-data
	PORT=$(PORT) PY=$(PY) scripts/serve-demo.sh

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# wrk loads the API benchmark's server from outside Python (its own load generator would share
# the two cores with the server); without it bench.api falls back to that generator.
bench: migrate
	@dpkg -s wrk >/dev/null 2>&1 || { $(SUDO) apt-get install -y -q wrk >/dev/null 2>&1 \
	  || ($(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q wrk >/dev/null) \
	  || echo "wrk could not be installed; bench.api uses its Python load generator"; }
	$(PY) -m bench.run
	$(PY) -m bench.pipeline
	$(PY) -m bench.disclosure
	$(PY) -m bench.recalculation
	$(PY) -m bench.comparisons
	$(PY) -m bench.pages
	$(PY) -m bench.api

lock: $(VENV)/.installed
	$(PY) -m pip freeze --exclude-editable | sed '1i # Every Python package, pinned (direct dependencies are in pyproject.toml). Rewrite with `make lock`.' > requirements.lock

clean:
	rm -rf var $(VENV) .pytest_cache
