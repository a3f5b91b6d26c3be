# Tongpin: two commands on a fresh machine — `make demo` and `make test`.
# Needs Python 3.11 and Node.js/npm (for the locally served Bootstrap, HTMX and ECharts files).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
TONGPIN := $(VENV)/bin/tongpin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test test-deps assets lint format messages serve clean bench

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11 ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "需要 Node.js 与 npm 来安装本地前端文件"; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

assets: node_modules/.package-lock.json $(VENV)/.installed
	$(PY) scripts/vendor_assets.py

messages: $(VENV)/.installed
	$(TONGPIN) compile-translations

setup: $(VENV)/.installed assets messages
	$(TONGPIN) migrate --no-input
	$(TONGPIN) collectstatic --no-input --verbosity 0

demo: setup
	$(TONGPIN) demo
	$(TONGPIN) serve --host $(HOST) --port $(PORT)

serve: setup
	$(TONGPIN) serve --host $(HOST) --port $(PORT)

test-deps: $(VENV)/.installed-test assets messages
	bash scripts/ensure-chromium.sh

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: test-deps lint
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) bench/member_list.py

clean:
	rm -rf $(VENV) node_modules tongpin/static/vendor var/static
