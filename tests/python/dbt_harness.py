"""Running dbt from the test suite: one subprocess per invocation, isolated
target/log folders, and the database file given through DBT_DUCKDB_PATH."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Mapping, Sequence

PROJECT_DIR = Path(__file__).resolve().parents[2]


def run_dbt(
    args: Sequence[str],
    db_path: Path,
    work_dir: Path,
    dbt_vars: Mapping[str, Any] | None = None,
    extra_env: Mapping[str, str] | None = None,
    timeout: int = 600,
    profiles_dir: Path = PROJECT_DIR,
) -> subprocess.CompletedProcess[str]:
    """Run ``dbt <args>`` on the project with the DuckDB file ``db_path``.

    ``work_dir`` receives dbt's target/ and logs/ so tests never clobber the
    developer's. Returns the completed process (stdout and stderr as text);
    the caller checks the return code.
    """
    command = [
        sys.executable, "-m", "dbt.cli.main", *args,
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(profiles_dir),
        "--target-path", str(work_dir / "target"),
        "--log-path", str(work_dir / "logs"),
    ]
    if dbt_vars:
        command += ["--vars", json.dumps(dict(dbt_vars))]
    env = {**os.environ, "DBT_DUCKDB_PATH": str(db_path), "DBT_TARGET": "duckdb",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    if extra_env:
        env.update(extra_env)
    return subprocess.run(command, cwd=PROJECT_DIR, env=env, text=True, capture_output=True, timeout=timeout)


def assert_dbt_ok(result: subprocess.CompletedProcess[str]) -> None:
    """Fail the test with dbt's output when the invocation did not succeed."""
    assert result.returncode == 0, f"dbt failed ({result.returncode}):\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
