# The commands a person types. Everything sets itself up on first use.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test test-fast bench lint format worker beat messages demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo

run: demo
	@$(MANAGE) demo_logins
	@mkdir -p var/celery-broker var/celery-control
	@echo "Serving http://127.0.0.1:8000 with a Celery worker and beat (filesystem transport;"
	@echo "their log is var/celery.log). Stop with Ctrl-C."
	trap 'kill 0' EXIT; \
	$(BIN)/celery -A config worker --beat --loglevel=INFO --concurrency=1 \
	  > var/celery.log 2>&1 & \
	$(MANAGE) runserver 127.0.0.1:8000

test: setup
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test-fast: setup
	$(BIN)/python -m pytest -m "not browser"

bench: setup
	$(BIN)/python -m pytest -m bench -s
	$(BIN)/python -m benchmarks

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q tests/test_layers.py

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: setup
	$(BIN)/celery -A config worker --loglevel=INFO

beat: setup
	$(BIN)/celery -A config beat --loglevel=INFO

messages: setup
	@for app in core accounts teams attendance households reports assessments dashboards mobile; do \
	  mkdir -p $$app/locale; \
	  (cd $$app && ../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --no-location \
	    --settings=config.settings.messages --pythonpath=..); done
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=accounts \
	  --ignore=teams --ignore=attendance --ignore=households --ignore=reports --ignore=assessments \
	  --ignore=core --ignore=dashboards --ignore=mobile
	$(MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 var
