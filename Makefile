# egov — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test install migrate demo lint format otp clean test-e2e peer

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Locked Python dependencies (requirements/lock.txt, made by `uv pip compile` from pyproject.toml).
$(VENV)/.installed: requirements/lock.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements/lock.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

# Front-end packages from the npm registry (package-lock.json), served by the app.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

migrate: install
	@mkdir -p var/static
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

demo: migrate
	$(MANAGE) load_demo

# Web server, background worker and scheduler of periodic jobs, side by side.
run: demo
	@echo "egov is starting on http://127.0.0.1:8000/ (Ctrl-C stops web, worker and scheduler)"
	$(BIN)/honcho -f Procfile start

# A second installation on port 8001 (its own SQLite file and agency) exchanging edXML
# documents with the one `make run` started.
peer: install
	$(BIN)/python -m egov.exchange.peer_demo

# The suite runs on every core (pytest-xdist): each worker has its own test database, media
# and key directories, HSM token and ports. PYTEST_ARGS="-n 0" runs it in one process.
PYTEST_ARGS ?= -n auto

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src scripts
	$(BIN)/ruff format --check src scripts

format: install
	$(BIN)/ruff format src scripts
	$(BIN)/ruff check --fix src scripts

# Current two-factor code of a demo leader or administrator: make otp USER=lanhdao.stttt
otp:
	@$(MANAGE) demo_otp $(USER)

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
