"""Shared fixtures: one dbt build of the shipped sample for the whole session."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from dbt_harness import assert_dbt_ok, run_dbt


# In a pytest-xdist worker (make test runs two, one per CPU), OpenMP code (HistGradientBoosting, in this
# process and in the fit.py / server processes the tests start, which inherit the variable) uses one
# thread: two workers each spinning two OpenMP threads on two CPUs made those tests 3-4x slower.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")


@dataclass(frozen=True)
class SampleBuild:
    """A DuckDB database built by `dbt build` from the shipped sample."""

    db_path: Path
    work_dir: Path
    run_results: dict


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> SampleBuild:
    """`dbt build` (seeds, models, data tests and unit tests) on the default vars, once."""
    work = tmp_path_factory.mktemp("sample_build")
    db_path = work / "prospect_scoring.duckdb"
    result = run_dbt(["build"], db_path, work)
    assert_dbt_ok(result)
    run_results = json.loads((work / "target" / "run_results.json").read_text())
    return SampleBuild(db_path=db_path, work_dir=work, run_results=run_results)


#: The slowest modules (seconds on the 2-CPU CI machine, serial), collected first: `make test` runs
#: pytest-xdist with ``--dist loadfile`` (a module's tests, and so its module fixtures, stay on one
#: worker), and a worker takes the next module when it finishes one, so the long ones start at once
#: and the short ones fill in behind them.
SLOW_MODULES_FIRST = (
    "test_warehouse_emulators.py",  # ~360 s: Snowflake and BigQuery emulators
    "test_warehouse_spark.py",  # ~220 s: Spark (JVM) and Databricks
    "test_dbt_bad_input.py",  # ~100 s
    "test_build_matrix.py",  # ~100 s
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the slow modules first (stable: the order inside a module and among the others is kept)."""
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return SLOW_MODULES_FIRST.index(name) if name in SLOW_MODULES_FIRST else len(SLOW_MODULES_FIRST)

    items.sort(key=rank)
