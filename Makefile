# Tongpin: two commands on a fresh machine — `make demo` and `make test`.
# Needs Python 3.11 and Node.js/npm (for the locally served Bootstrap, HTMX and ECharts files).
SHELL := /bin/bash
# A Python 3.11 interpreter: python3.11 if it runs, else python3 when that is 3.11 (or PYTHON=…).
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in python3.11 python3; do \
  $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; \
  done)
endif
VENV := .venv
PY := $(VENV)/bin/python
TONGPIN := $(VENV)/bin/tongpin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test test-deps assets lint format messages serve clean bench

$(VENV)/bin/python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "错误：需要 Python 3.11。python3.11 不可用，python3 也不是 3.11（$$(python3 --version 2>&1 || echo 未安装)）。" >&2; \
	  echo "请安装 Python 3.11，或用 make PYTHON=/path/to/python3.11 指定解释器。" >&2; exit 1; \
	elif ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1; then \
	  echo "错误：PYTHON=$(PYTHON) 不是可用的 Python 3.11，请安装 Python 3.11 或改用 PYTHON=/path/to/python3.11。" >&2; exit 1; \
	fi
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
	$(PY) bench/work_plan.py
	$(PY) bench/life_compliance.py
	$(PY) bench/assess_run.py

clean:
	rm -rf $(VENV) node_modules tongpin/static/vendor var/static
