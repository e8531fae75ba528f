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

$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# constraints.txt: the transitive dependencies at the versions CI ran with.
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt -c constraints.txt
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

# make lint, three passes (sqlfluff's dbt templater skips files that only define macros, so the
# SQL the macros emit is linted where dbt renders it):
#  1. the models and singular tests as written (.sqlfluff; templated areas ignored);
#  2. the same files rendered with templated areas included (.sqlfluff-rendered: the rules that
#     judge dbt's own output are off), under the web_full preset, which renders every catalog macro;
#  3. dbt compile under other vars (web_full, a visitor cohort, the automation cap, a time range,
#     drop_immature_labels, and a small logreg snowplow__score_model so that prospect_scores, disabled
#     in passes 1-2, and its test are compiled) and the compiled nodes of the project (models, its
#     generic tests, the on-run-start hook; not dbt's built-in tests) linted as plain SQL (raw
#     templater), which reaches the branches and macros the defaults do not render. Long lines are
#     not judged here: passes 1-2 judge the source lines; compiled catalog lines are generated.
# Only DuckDB's dispatch variants are rendered (.venv has no other adapter): the snowflake__,
# bigquery__ and spark__ macros are linted by the warehouse tests (tests/python/compiled_sql_lint.py:
# the SQL compiled for Snowflake, BigQuery and Databricks, as pass 3 with LINT_RAW_OFF read from here).
LINT_DB       := DBT_DUCKDB_PATH=target/lint.duckdb
LINT_COMPILED := target/lint-compiled
LINT_SCORE    := {kind: logreg, intercept: -1.5, threshold: 0.5, terms: [\
	{feature: num_page_views, kind: numeric, transform: asinh, weight: 0.5, fill: 0.0, mean: 1.0, scale: 2.0}, \
	{feature: num_sessions, kind: numeric, transform: log1p, weight: 0.25, fill: 0.0, mean: 1.0, scale: 1.5}, \
	{feature: num_paid_views, kind: boolean, weight: 0.125, fill: 0.0, mean: 0.1, scale: 0.3}, \
	{feature: first_refr_medium, kind: categorical, null_weight: 0.1, other_weight: 0.0, values: [{value: search, weight: 0.3}]}]}
LINT_VARS     := {snowplow__attributes: web_full, snowplow__cohort_days_before_reference: [60, 30], \
	snowplow__max_events_per_day: 500, snowplow__start_date: "2024-01-01", snowplow__end_date: "2030-01-01", \
	snowplow__drop_immature_labels: true, snowplow__score_model: $(LINT_SCORE)}
LINT_RAW_OFF  := layout.long_lines,structure.using,layout.indent,aliasing.expression,references.quoting,capitalisation.types,ambiguous.column_count,structure.column_order,references.consistent,layout.start_of_file,layout.end_of_file

lint: $(STAMP)  ## sqlfluff: models and singular tests as written, rendered (macro output included), and compiled under other vars.
	mkdir -p target && $(LINT_DB) $(BIN)/sqlfluff lint models
	$(LINT_DB) $(BIN)/sqlfluff lint models --config .sqlfluff-rendered
	rm -rf $(LINT_COMPILED) && $(LINT_DB) $(BIN)/dbt compile --quiet --target-path $(LINT_COMPILED) \
		--log-path $(LINT_COMPILED)/logs --vars '$(LINT_VARS)'
	$(BIN)/sqlfluff lint --templater raw --disregard-sqlfluffignores --config .sqlfluff-rendered \
		--exclude-rules $(LINT_RAW_OFF) $$(find $(LINT_COMPILED)/compiled -name '*.sql' ! -name 'not_null_*' \
		! -name 'unique_*' ! -name 'accepted_values_*' ! -name 'relationships_*' | sort)

warehouse-envs:  ## Environments of the offline Snowflake/BigQuery checks (.venv-snowflake, -bigquery, -fakesnow, -crucible).
	PYTHON=$(PYTHON) bash scripts/emulators/setup.sh

check: $(STAMP)  ## ruff and mypy over the training step (train/, its tests); part of make test.
	$(BIN)/ruff check
	$(BIN)/mypy

# pytest in two worker processes (pytest-xdist; the CI machine has 2 CPUs, and much of a test's time is
# dbt start-up and emulator round trips): --dist loadfile keeps a module on one worker, so its module
# fixtures (built databases, emulator runs) are built once; tests/python/conftest.py starts the slowest
# modules first. PYTEST_WORKERS=0 runs in this process (e.g. to debug).
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

# The three steps before pytest run side by side (sqlfluff and mypy use one CPU each, the environments'
# installs mostly wait on the disk); -Otarget keeps each one's output together.
test: $(STAMP)  ## Every test: SQL lint, ruff + mypy, the warehouse environments, then pytest (dbt build with unit and data tests, and the Snowflake/BigQuery emulator checks).
	$(MAKE) --no-print-directory -j3 -Otarget lint check warehouse-envs
	$(PYTEST)

test-fast: lint check  ## Every test except the warehouse emulator group.
	$(PYTEST) -m "not warehouse"

bench: $(STAMP)  ## Benchmarks at 1M and 10M events (minutes; prints numbers).
	$(BIN)/python scripts/benchmark.py
	$(BIN)/python train/benchmark_fit.py

TRIALS ?= 20
fuzz: $(STAMP)  ## Random nasty events and vars, each built and compared with the brute-force oracle (TRIALS=20; minutes).
	PYTHONPATH=scripts $(BIN)/python tests/python/fuzz_oracle.py --trials $(TRIALS)

sample: $(STAMP)  ## Regenerate the committed sample seeds/snowplow_sample_events.csv.
	$(BIN)/python scripts/generate_events.py --output seeds/snowplow_sample_events.csv

clean:  ## Remove build outputs (not .venv).
	rm -rf target logs dbt_packages $(OUTPUT) bench_data prospect_scoring.duckdb
