"""Shared fixtures: one dbt build of the shipped sample for the whole session."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from dbt_harness import assert_dbt_ok, run_dbt


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
