"""Running dbt from the test suite: isolated target/log folders, and the database
file given through DBT_DUCKDB_PATH.

``run_dbt`` runs one invocation in its own process (as a user's ``dbt`` command).
``run_dbt_many`` runs a batch of invocations in one process through dbtRunner, each
with its own database, folders, vars and captured stdout/stderr: the batch pays
Python's and dbt's start-up once instead of once per invocation (about 1.5-2 s per
invocation instead of 3-5 s). Used for the many bad-input cases that stop at dbt's
on-run-start or at compilation.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Mapping, Sequence
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT_ENV = {"DBT_TARGET": "duckdb", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
#: Vars that turn on every optional branch of the models (visitor filters, a time range, a reference date,
#: immature labels dropped): the warehouse checks compile the project with them.
ALL_OPTIONS_VARS: dict[str, Any] = {
    "snowplow__max_events_per_day": 1000,
    "snowplow__cohort_days_before_reference": [60, 30],
    "snowplow__reference_date": "2024-05-01",
    "snowplow__start_date": "2024-03-01",
    "snowplow__end_date": "2024-04-01 12:00:00",
    "snowplow__drop_immature_labels": True,
}


def _dbt_args(args: Sequence[str], work_dir: Path, dbt_vars: Mapping[str, Any] | None,
              profiles_dir: Path) -> list[str]:
    command = [
        *args,
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(profiles_dir),
        "--target-path", str(work_dir / "target"),
        "--log-path", str(work_dir / "logs"),
    ]
    if dbt_vars:
        command += ["--vars", json.dumps(dict(dbt_vars))]
    return command


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
    command = [sys.executable, "-m", "dbt.cli.main", *_dbt_args(args, work_dir, dbt_vars, profiles_dir)]
    env = {**os.environ, "DBT_DUCKDB_PATH": str(db_path), **DBT_ENV}
    if extra_env:
        env.update(extra_env)
    return subprocess.run(command, cwd=PROJECT_DIR, env=env, text=True, capture_output=True, timeout=timeout)


@dataclass(frozen=True)
class Invocation:
    """One dbt invocation of a batch (see ``run_dbt`` for the fields)."""

    args: Sequence[str]
    db_path: Path
    work_dir: Path
    dbt_vars: Mapping[str, Any] | None = None
    profiles_dir: Path = PROJECT_DIR


def run_dbt_many(invocations: Sequence[Invocation], timeout: int = 900) -> list[subprocess.CompletedProcess[str]]:
    """Run the invocations one after the other in one child process (dbtRunner).

    Each result has the invocation's own stdout and stderr and the return code the
    dbt command would have exited with (0 success, 1 failed nodes, 2 an error).
    """
    batch = [{"args": _dbt_args(i.args, i.work_dir, i.dbt_vars, i.profiles_dir), "db_path": str(i.db_path)}
             for i in invocations]
    with tempfile.TemporaryDirectory() as scratch:
        spec, out = Path(scratch) / "batch.json", Path(scratch) / "results.json"
        spec.write_text(json.dumps(batch))
        child = subprocess.run([sys.executable, __file__, str(spec), str(out)], cwd=PROJECT_DIR,
                               env={**os.environ, **DBT_ENV}, text=True, capture_output=True, timeout=timeout)
        assert child.returncode == 0 and out.exists(), f"dbt batch failed:\n{child.stdout[-3000:]}\n{child.stderr[-3000:]}"
        results = json.loads(out.read_text())
    return [subprocess.CompletedProcess(entry["args"], r["returncode"], r["stdout"], r["stderr"])
            for entry, r in zip(batch, results, strict=True)]


def _run_batch(spec: Path, out: Path) -> None:
    """The child of ``run_dbt_many``: every invocation through one dbtRunner process."""
    from dbt.cli.main import dbtRunner

    results = []
    for entry in json.loads(spec.read_text()):
        os.environ["DBT_DUCKDB_PATH"] = entry["db_path"]
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            result = dbtRunner().invoke(entry["args"])  # logs "Encountered an error: ..." as the command does
        returncode = 0 if result.success else (2 if result.exception is not None else 1)
        results.append({"returncode": returncode, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()})
    out.write_text(json.dumps(results))


def assert_dbt_ok(result: subprocess.CompletedProcess[str]) -> None:
    """Fail the test with dbt's output when the invocation did not succeed."""
    assert result.returncode == 0, f"dbt failed ({result.returncode}):\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"


if __name__ == "__main__":
    _run_batch(Path(sys.argv[1]), Path(sys.argv[2]))
