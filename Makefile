# Two commands: `make run` (set up and start the app on the demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB := data/tsk.duckdb

.PHONY: run test lint setup setup-dev demo system-deps static clean bench test-login-provider test-axe

# The demo database is built only for the shipped configuration: with TSK_CONFIG set (another kommun,
# docs/kom-igang.md) the app opens TSK_DB as it is and Översikt says what to import.
run: setup static $(if $(TSK_CONFIG),,$(DB))
	$(BIN)/streamlit run app.py --server.address localhost --server.port $${PORT:-8501}

test: setup-dev system-deps static test-login-provider test-axe
	$(BIN)/ruff check $(RUFF_ARGS) app.py pages tsk bench tests
	$(BIN)/python -m pytest

# The lint step of `make test` (ruff, pinned in requirements-dev.txt): Python's own errors and pyflakes
# (E4, E7, E9, F), likely bugs (B), Python 3.11 syntax (UP) and sorted imports (I). Not B905 (zip without
# strict=): its zips pair columns of one frame, and strict=True would change what they do.
RUFF_ARGS := --select E4,E7,E9,F,B,UP,I --ignore B905 --target-version py311 --exclude tests/axe,tests/oidc
lint: setup-dev
	$(BIN)/ruff check $(RUFF_ARGS) app.py pages tsk bench tests

# Leaflet for the maps, copied from the PyPI package xstatic-leaflet into the git-ignored static/ (never
# a CDN, no npm): tsk/static_assets.py; does nothing when the version is already in place.
static: setup
	$(BIN)/python -m tsk.static_assets

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Built from the demo export files only when missing: an imported real database is never overwritten.
$(DB): | $(VENV)/.installed
	$(BIN)/python -m tsk demo --db $(DB)

# Rebuild the demo database from scratch.
demo: setup
	$(BIN)/python -m tsk demo

# The login test's OpenID Connect provider (npm package oidc-provider, pinned by tests/oidc/package-lock.json).
test-login-provider:
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/oidc --silent --no-audit --no-fund; \
	else echo "npm saknas: inloggningstestet (tests/test_oidc_login.py) hoppas över."; fi

# axe-core for the accessibility check of every page (tests/test_browser_a11y.py), pinned by tests/axe/package-lock.json.
test-axe:
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/axe --silent --no-audit --no-fund; \
	else echo "npm saknas: tillgänglighetstestet (tests/test_browser_a11y.py) kan inte köras."; fi

# The browser test needs Debian's Chromium (Playwright cannot download browsers here).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installerar Chromium för webbläsartestet …"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "Chromium saknas och kan inte installeras här: webbläsartestet hoppas över."; \
	  fi; \
	fi
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installerar nginx för testet av driftsättningen (deploy/) …"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light openssl >/dev/null; \
	  else \
	    echo "nginx saknas och kan inte installeras här: testet av deploy/ hoppas över."; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) $(DB) $(DB).wal static test-artifacts

# Benchmarks: scale data, import and page costs against pandas and bare DuckDB; writes bench/RESULTS.md.
bench: setup-dev static
	$(BIN)/python -m bench
