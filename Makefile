# Coverage Lab: every target creates or refreshes the local virtual environment (.venv) itself.
#   make report                 run every notebook on data/raw and render reports/latest/index.html
#   make report DATA=folder     the same on any folder (or file) of coverage
#   make report ARGS="--workers 4"   extra report options (--no-cache, --workers N, --scheduler ADDRESS)
#   make test                   the whole test suite (what CI runs)
#   make lab                    open JupyterLab on the notebooks
#   make bench                  the speed benchmarks (ratios against baselines)
#   make models                 retrain the shipped models from ../shared/eval (tune parts only), then validate all

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= data/raw
OUT ?= reports/latest
ARGS ?=
PYTEST_WORKERS ?= 2

.PHONY: setup report test lint lab bench browser sync clean models validate

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (found " + sys.version.split()[0] + "); set PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (Coverage Lab)" >/dev/null
	touch $(STAMP)

setup: $(STAMP)

report: $(STAMP)
	$(BIN)/python -m helpers report --data "$(DATA)" --out "$(OUT)" $(ARGS)

browser:
	@bash scripts/ensure-chromium

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

test: $(STAMP) browser lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup -p no:cacheprovider

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

models: $(STAMP)
	$(BIN)/python -m helpers train targets --ship
	$(BIN)/python -m helpers train frames --ship generic
	$(BIN)/python -m helpers train frames --ship policy
	$(BIN)/python -m helpers validate all

validate: $(STAMP)
	$(BIN)/python -m helpers validate all

sync: $(STAMP)
	$(BIN)/jupytext --sync notebooks/*.py

clean:
	rm -rf $(VENV) reports
