# One task runner for people and CI. `make demo` and `make test` work on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PARTITION ?=
PORT ?= 3000

.PHONY: install ui-deps test lint format demo dev run bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

# Debian's chromium for the UI tests (root and apt needed; CI runs this). Playwright never downloads one.
ui-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

test: install
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check kz2h_assets kz2h_assets_tests $(wildcard bench scripts)
	$(PY) -m ruff format --check kz2h_assets kz2h_assets_tests $(wildcard bench scripts)
	$(PY) -m mypy

format: install
	$(PY) -m ruff check --fix kz2h_assets kz2h_assets_tests $(wildcard bench scripts)
	$(PY) -m ruff format kz2h_assets kz2h_assets_tests $(wildcard bench scripts)

demo: install
	$(PY) -m kz2h_assets.cli demo

run: install
	$(PY) -m kz2h_assets.cli run --partition "$(PARTITION)"

dev: install
	$(PY) -m kz2h_assets.cli dev --port $(PORT)

bench: install
	@for f in bench/*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf .state .pytest_cache .mypy_cache .ruff_cache
