"""`make build` checks the DuckDB file first: one line, not dbt's traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from dbt_harness import PROJECT_DIR

SCRIPT = PROJECT_DIR / "scripts" / "preflight_duckdb.py"


def _run(db_path: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DBT_DUCKDB_PATH": db_path, "DBT_TARGET": "duckdb"}
    return subprocess.run([sys.executable, str(SCRIPT)], env=env, cwd=cwd, text=True, capture_output=True, timeout=60)


def test_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    result = _run(str(tmp_path / "missing" / "db.duckdb"), tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"error: the folder of the DuckDB database {tmp_path / 'missing' / 'db.duckdb'} "
                                     f"does not exist: create it (mkdir -p {tmp_path / 'missing'}) or set "
                                     "DBT_DUCKDB_PATH to a file in an existing folder")


def test_a_database_locked_by_another_process_names_it(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "c.execute('create table t (x int)'); print('ready', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = _run(str(db), tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2
    assert f"is locked by process {holder.pid}" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_free_or_new_database_goes_ahead(tmp_path: Path) -> None:
    assert _run("relative.duckdb", tmp_path).returncode == 0
    duckdb.connect(str(tmp_path / "free.duckdb")).close()
    assert _run(str(tmp_path / "free.duckdb"), tmp_path).returncode == 0
