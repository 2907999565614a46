# `make demo` and `make test` set up a virtual environment on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/checkin demo

# Runs on SQLite; also on PostgreSQL when TEST_DATABASE_URL is set (unreachable = failure).
test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/tick_fanout.py
	$(BIN)/python benchmarks/report_build.py --only demo

clean:
	rm -rf $(VENV) demo-output .pytest_cache .mypy_cache .ruff_cache
