# Peer Academy — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: fonts translations interop run test mutation audit audit-code audit-deps audit-deps-reachable lint format install db demo clean check-python serve bench bench-browser bench-instructions soak bench-tools

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Peer Academy needs Python 3.11 or newer")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The web fonts (docs/accessibility.md): WOFF2 subsets of static/fonts, one per script, made
# again when a source font or the script list changes; static/css/fonts.css is rewritten too.
WEB_FONTS := static/fonts/web/.built
# ($(STAMP) order-only: fontTools must be there, but new packages do not make new fonts)
$(WEB_FONTS): academy/core/web_fonts.py $(wildcard static/fonts/*.ttf) | $(STAMP)
	$(BIN)/python -m academy.core.web_fonts
	touch $@

fonts: $(WEB_FONTS)

# The compiled catalogues (.mo) are build output: made from the .po files, never committed.
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel -q compile -d translations -l $*

install: $(STAMP) $(WEB_FONTS) $(COMPILED)

# After changing an interface string (docs/translating.md): the template file and every
# catalogue updated; English filled in from the source, the others left for translators.
translations: install
	$(BIN)/python -m academy.core.catalogues update

db: install
	$(BIN)/academy init

demo: db
	$(BIN)/academy demo

# `make run PORT=5701 HOST=0.0.0.0`: links, QR codes and credentials follow the address the
# app is reached at (unless ACADEMY_BASE_URL is set).
run: demo
	@echo "Peer Academy runs on http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	@# plain HTTP on this machine: a Secure cookie would not come back from every browser
	ACADEMY_SECURE_COOKIES=0 $(BIN)/academy run --host $(HOST) --port $(PORT)

# The independent credential verifier (tests/interop/README.md), when Node.js is there;
# without it those tests are skipped (CI sets ACADEMY_REQUIRE_INTEROP=1: then they fail).
INTEROP := tests/interop
interop:
	@if ! command -v npm >/dev/null; then \
		echo "npm not found: the independent credential verifier's tests will be skipped"; \
	elif [ ! $(INTEROP)/node_modules/.package-lock.json -nt $(INTEROP)/package-lock.json ]; then \
		npm ci --prefix $(INTEROP) --no-audit --no-fund --loglevel=error; \
	fi

test: install interop
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# its own instance folder: the check writes nothing (a secret key, a cache) into the checkout
	@# a stale translation fails too: the shipped curriculum has none (docs/authoring.md)
	ACADEMY_INSTANCE_PATH=$$(mktemp -d) $(BIN)/academy content check --fail-on-stale content
	$(BIN)/bandit -c pyproject.toml -r academy -ll -q
	@# on every core (docs/testing.md, "Running in parallel")
	$(BIN)/pytest -n auto

# The commit check (docs/testing.md): each db.session.commit() in academy/ removed in turn,
# a test must fail; about ten minutes. --write records the results in the doc.
mutation: install
	$(BIN)/python -m tests.mutation.run --write docs/testing.md

# Security checks (CI runs them after the tests), docs/security.md. Bandit: findings of
# medium severity or more fail.
audit: audit-code audit-deps

audit-code: install
	$(BIN)/bandit -c pyproject.toml -r academy -ll -q

# Known vulnerabilities in the installed packages (PyPI's advisory data). --strict makes a
# package that could not be checked a failure, so an unreachable service never passes.
audit-deps: install
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

# Succeeds only if pip-audit can reach its vulnerability data: it must find the known
# advisories of an old Jinja2 release (it is only looked up, never installed).
audit-deps-reachable: install
	@printf 'jinja2==2.4\n' > $(VENV)/audit-canary.txt
	@$(BIN)/pip-audit --disable-pip --no-deps -r $(VENV)/audit-canary.txt -f json \
		--progress-spinner off 2>/dev/null | grep -q '"id"'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Production: gunicorn with gunicorn.conf.py (docs/deploy.md). Cookies are Secure here:
# put it behind the TLS proxy described there.
serve: db
	$(BIN)/academy serve

# The benchmark (docs/performance.md): SQLite by default, PostgreSQL with
# `make bench DATABASE_URL=postgresql+psycopg://...`; BENCH_ARGS="--runs 5" etc. pass on.
bench-tools: install
	@command -v wrk >/dev/null && command -v nginx >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq wrk nginx-light)
	@$(BIN)/python -c "import pyinstrument" 2>/dev/null || $(BIN)/pip install --quiet -e ".[dev,bench]"

bench: install bench-tools
	$(BIN)/python bench/run.py $(if $(DATABASE_URL),--database-url $(DATABASE_URL)) $(BENCH_ARGS)
	$(BIN)/python bench/browser.py

# A trainee's pages in Chromium on emulated slow 3G: seconds to text, bytes per page
# (docs/performance.md, "On a slow network"); needs Chromium only.
bench-browser: install
	$(BIN)/python bench/browser.py $(BROWSER_BENCH_ARGS)

# Instructions per request (valgrind), the same whatever else the machine does; compare
# two commits with it (docs/performance.md).
bench-instructions: install bench-tools
	@command -v valgrind >/dev/null || (apt-get update -qq && apt-get install -y -qq valgrind)
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(BIN)/python bench/instructions.py $(BENCH_ARGS)

# Ten minutes of the benchmark's mixed workload: errors and worker memory per minute.
soak: install bench-tools
	$(BIN)/python bench/run.py --soak 10 $(if $(DATABASE_URL),--database-url $(DATABASE_URL)) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
