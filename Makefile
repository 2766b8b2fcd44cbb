# Terrain: `make run` to try it, `make test` to check it. Only Python 3.11, make and git needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_CONTACTS ?= 3000

.PHONY: install lock run serve test bench lint typecheck format migrate worker messages clean

# The lock files pin every package, dependencies of dependencies too, with their hashes:
# requirements.txt what runs (the Docker image), requirements-dev.txt that and the tools.
LOCK := requirements.txt requirements-dev.txt

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Terrain needs Python 3.11 (set PYTHON=/path/to/python3.11)")'
	@$(PYTHON) -c "$$LOCK_COVERS_PYPROJECT"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

# axe-core, the browser tests' accessibility audit, from npm as package-lock.json pins it;
# without npm it is skipped (and so are the audit's tests).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: axe-core skipped, the accessibility audit's browser tests will skip"; fi

install: $(STAMP) $(NODE_STAMP)

# After a change to the dependencies in pyproject.toml: resolves the new ones and keeps every
# other pin; `make lock UPGRADE=1` moves everything to the newest versions pyproject.toml allows.
# Needs the package index (pip-tools, into .venv; it is not itself locked).
COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "pip-tools>=7.4,<8"
	$(COMPILE) -o requirements.txt pyproject.toml
	$(COMPILE) --extra dev -c requirements.txt -o requirements-dev.txt pyproject.toml

# A dependency added to pyproject.toml and not locked fails the install with its name.
define LOCK_COVERS_PYPROJECT
import re, sys, tomllib
key = lambda name: re.sub(r"[-_.]+", "-", name).lower()
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
wanted = {key(re.match(r"[A-Za-z0-9._-]+", d)[0]) for d in wanted}
pinned = {key(line.split("==")[0]) for line in open("requirements-dev.txt") if "==" in line and line[0] not in " #"}
missing = sorted(wanted - pinned)
sys.exit(f"requirements-dev.txt lacks {', '.join(missing)}: run make lock" if missing else None)
endef
export LOCK_COVERS_PYPROJECT

migrate: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput

# This checkout's own settings, written once by `make run`: DEBUG=true and a random SECRET_KEY,
# so that `.venv/bin/python manage.py …` works as under make run. Git- and Docker-ignored, and
# written by no other target: production, Docker and CI have none (they set their variables).
.env:
	@umask 077 && $(PYTHON) -c 'import secrets; print("# Written by make run for this checkout only (git-ignored): development settings.\nDEBUG=true\nSECRET_KEY=" + secrets.token_urlsafe(50))' > $@
	@echo "Wrote .env (DEBUG=true and a random SECRET_KEY) for manage.py commands in this checkout"

# Embedded defaults unless DATABASE_URL / REDIS_URL / TWILIO_* are set (see README); without
# REDIS_URL the server runs beat's scheduled tasks itself (EMBEDDED_BEAT).
# HOST and PORT say where it listens: `make run PORT=8101`.
run: .env migrate
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py seed_demo --if-empty --contacts $(DEMO_CONTACTS)
	@echo ""
	@echo "  Terrain is starting on http://$(HOST):$(PORT)/"
	@echo "  Log in as admin / terrain-demo (or lyon, paris, benevole with the same password)"
	@echo ""
	DEBUG=$${DEBUG:-true} EMBEDDED_BEAT=$${EMBEDDED_BEAT:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production without Docker: settings from the environment (SECRET_KEY, DATABASE_URL,
# REDIS_URL, ALLOWED_HOSTS…; DEBUG false unless set, whatever a .env says). Static files are
# collected and the database migrated first, then gunicorn serves on HOST:PORT.
WORKERS ?= 3
serve: install
	DEBUG=$${DEBUG:-false} $(BIN)/python manage.py collectstatic --noinput -v 0
	DEBUG=$${DEBUG:-false} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-false} $(BIN)/gunicorn campaign.wsgi:application --bind $(HOST):$(PORT) \
		--workers $(WORKERS) --access-logfile -

worker: install
	$(BIN)/celery -A campaign worker --loglevel=INFO

# PYTEST_ARGS: extra options, e.g. `make test PYTEST_ARGS="--durations=15"`.
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run_all.py

# lint-imports: the layers of [tool.importlinter] in pyproject.toml.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

# mypy with django-stubs on the apps (not the tests); loading the settings needs DEBUG or SECRET_KEY.
typecheck: install
	DEBUG=$${DEBUG:-true} $(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l fr -l en --ignore=.venv --ignore=staticfiles --ignore=bench --ignore=tests
	DEBUG=true $(BIN)/python manage.py makemessages -d djangojs -l fr -l en --ignore=.venv --ignore=staticfiles --ignore=node_modules
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
