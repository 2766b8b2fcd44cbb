# Terrain: `make run` to try it, `make test` to check it. Only Python 3.11, make and git needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_CONTACTS ?= 3000

.PHONY: install run test bench lint format migrate worker messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Terrain needs Python 3.11 (set PYTHON=/path/to/python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput

# Embedded defaults unless DATABASE_URL / REDIS_URL / TWILIO_* are set (see README).
run: migrate
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py seed_demo --if-empty --contacts $(DEMO_CONTACTS)
	@echo ""
	@echo "  Terrain is starting on http://$(HOST):$(PORT)/"
	@echo "  Log in as admin / terrain-demo (or lyon, paris, benevole with the same password)"
	@echo ""
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: install
	$(BIN)/celery -A campaign worker --loglevel=INFO

# PYTEST_ARGS: extra options, e.g. `make test PYTEST_ARGS="--durations=15"`.
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run_all.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l fr -l en --ignore=.venv --ignore=staticfiles --ignore=bench --ignore=tests
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
