# The two commands: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test worker lint format install bench

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py recompute_reports
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# axe-core for the browser tests' accessibility checks (they skip without it, but fail in CI).
tests/browser/node_modules/axe-core/axe.min.js: tests/browser/package.json
	-npm install --prefix tests/browser --no-package-lock --no-audit --no-fund --silent

# The suite in TEST_PROCESSES processes (pytest-xdist): each has a test database of its own,
# and its Celery workers queues of their own on the broker. Tests are handed out one by one in
# pytest-django's order, so that in each process the tests that empty the database (those run
# outside a transaction) come after every test that reads what the migrations put there.
TEST_PROCESSES ?= 2
test: $(INSTALLED) tests/browser/node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest --numprocesses=$(TEST_PROCESSES) --dist=load

worker: $(INSTALLED)
	$(BIN)/celery -A mathsprog worker --loglevel=INFO

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Speed and memory on PostgreSQL (BENCH_DATABASE_URL, BENCH_ROWS): see bench/run.py; then
# a real worker's peak memory on files made to cost it (bench/hostile_files.py).
bench: $(INSTALLED)
	DJANGO_SETTINGS_MODULE=mathsprog.settings.base DEBUG=false $(BIN)/python -m bench.run
	DJANGO_SETTINGS_MODULE=mathsprog.settings.base DEBUG=false $(BIN)/python -m bench.hostile_files
