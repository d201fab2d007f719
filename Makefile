# meded: two commands on a fresh machine — `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/meded
REDIS ?= redis://127.0.0.1:6379/0
# Tests run in parallel, one pytest-xdist worker per core (WORKERS=0 runs them in one process).
WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(WORKERS)

.PHONY: install run test test-services lint format check worker beat bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The periodic work (offers that run out, reminders, due emails) runs beside the development
# server every PERIODIC_EVERY seconds, as beat does in production, and stops with it.
PERIODIC_EVERY ?= 30
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py run_periodic --every $(PERIODIC_EVERY) & periodic=$$!; \
	trap 'kill $$periodic 2>/dev/null; wait $$periodic 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# PYTEST_ARGS passes options through, e.g. make test PYTEST_ARGS="-m 'not browser' -x".
test: install
	$(PYTEST) $(PYTEST_ARGS)

# The suite against real PostgreSQL and Redis, with nothing skipped for a missing service.
test-services: install
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS) MEDED_REQUIRE_SERVICES=1 $(PYTEST) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

worker: install
	REDIS_URL=$${REDIS_URL:-$(REDIS)} $(BIN)/celery -A meded worker -l info

beat: install
	REDIS_URL=$${REDIS_URL:-$(REDIS)} $(BIN)/celery -A meded beat -l info

bench: install
	$(BIN)/python bench/allocation.py --quick

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
