# Prospect scoring: the two commands of the README are `make all` and `make test`.
# Everything runs inside the project's own virtual environment (.venv).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUTPUT ?= artifacts

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: all install build train lint check test test-fast warehouse-envs bench sample clean help

help:  ## List the targets.
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

all: install build train  ## Install, build final_training on the sample, train and write the report.
	@echo "Report: $(OUTPUT)/report.md (model: $(OUTPUT)/model.joblib)"

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	# The training package (train/prospect_model, console script prospect-train), editable;
	# its build needs only setuptools and wheel, from the same (offline) index as the pins.
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)  ## Create .venv, install the pinned requirements and the training package (editable).

build: $(STAMP)  ## dbt build (seeds, models, data tests, unit tests) on the default target.
	@$(BIN)/python scripts/preflight_duckdb.py
	$(BIN)/dbt build

train: $(STAMP)  ## Fit the model on final_training; writes $(OUTPUT)/.
	$(BIN)/python train/fit.py --output-dir $(OUTPUT)

lint: $(STAMP)  ## sqlfluff over the models and singular tests (dbt templater; macro output is linted where models render it).
	mkdir -p target && DBT_DUCKDB_PATH=target/lint.duckdb $(BIN)/sqlfluff lint models tests/dbt

warehouse-envs:  ## Environments of the offline Snowflake/BigQuery checks (.venv-snowflake, -bigquery, -fakesnow, -crucible).
	PYTHON=$(PYTHON) bash scripts/emulators/setup.sh

check: $(STAMP)  ## ruff and mypy over the training step (train/, its tests); part of make test.
	$(BIN)/ruff check
	$(BIN)/mypy

test: lint check warehouse-envs  ## Every test: SQL lint, ruff + mypy, then pytest (dbt build with unit and data tests, and the Snowflake/BigQuery emulator checks).
	$(BIN)/python -m pytest

test-fast: lint check  ## Every test except the warehouse emulator group.
	$(BIN)/python -m pytest -m "not warehouse"

bench: $(STAMP)  ## Benchmarks at 1M and 10M events (minutes; prints numbers).
	$(BIN)/python scripts/benchmark.py
	$(BIN)/python train/benchmark_fit.py

sample: $(STAMP)  ## Regenerate the committed sample seeds/snowplow_sample_events.csv.
	$(BIN)/python scripts/generate_events.py --output seeds/snowplow_sample_events.csv

clean:  ## Remove build outputs (not .venv).
	rm -rf target logs dbt_packages $(OUTPUT) bench_data prospect_scoring.duckdb
