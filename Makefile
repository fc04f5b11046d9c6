# C2 Hub — the two commands of the quick start are `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# The first Python 3.12+ on the PATH (pyenv reads .python-version).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: run test test-postgres test-browser install lint typecheck bench bench-ingest bench-listening bench-outcomes bench-partnership bench-reports clean demo-reset

run: install ## Run C2 Hub with the demo programme on the embedded SQLite database
	$(BIN)/c2hub migrate --noinput
	$(BIN)/c2hub demo
	$(BIN)/c2hub serve --port $(PORT)

# -rs prints why a test was skipped (e.g. the browser tests on a machine without chromium).
test: install ## The whole test suite (browser tests need Debian's chromium; see docs/testing.md)
	$(BIN)/pytest -rs $(PYTEST_ARGS)

test-postgres: install ## The suite again on PostgreSQL (DATABASE_URL=postgres://…)
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make test-postgres needs DATABASE_URL=postgres://user@host:port/name (see docs/testing.md)"; exit 2;; esac
	$(BIN)/pytest -rs -m "not browser" $(PYTEST_ARGS)

test-browser: install ## Only the browser tests (Playwright driving /usr/bin/chromium)
	$(BIN)/pytest -rs -m browser $(PYTEST_ARGS)

install: $(VENV)/.installed c2hub/static/dist/.built

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "C2 Hub needs Python 3.12 or newer on the PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

c2hub/static/dist/.built: node_modules/.installed $(wildcard frontend/*.mjs frontend/scss/*.scss frontend/js/*.js)
	npm run --silent build
	@touch $@

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy c2hub

bench: install ## Page-speed benchmark; writes figures for docs/performance.md
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

bench-listening: install ## Theme 10,000 listening-event comments: time, memory, ARI (docs/theming.md)
	$(BIN)/python bench/listening.py $(BENCH_ARGS)

bench-outcomes: install ## The indicators page (cold, cached), suppression of a 14 x 48 table, one evaluation
	$(BIN)/python bench/outcomes.py $(BENCH_ARGS)

bench-reports: install ## The board report as DOCX and PDF, with charts, for a site with two years of records
	$(BIN)/python bench/reports.py $(BENCH_ARGS)

bench-partnership: install ## Action plan, "you said, we did" and responsiveness pages: 2,000 actions, 10,000 updates
	$(BIN)/python bench/partnership.py $(BENCH_ARGS)

bench-ingest: install ## Ingest benchmark: a national year of police.uk crime (generated in /tmp) into the area store
	$(BIN)/python bench/ingest.py $(BENCH_ARGS)

demo-reset: ## Delete the demo database and uploads
	rm -rf var/c2hub.sqlite3* var/uploads

clean:
	rm -rf $(VENV) node_modules c2hub/static/dist var
