"""The script as users run it: ``python train/fit.py`` in a subprocess."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest_train_helpers import (
    REPO_ROOT,
    clean_env,
    make_events,
    make_project,
    run_fit,
    seed_previous_artifacts,
    snapshot,
    write_database,
)


def test_help_explains_every_option() -> None:
    result = run_fit(["--help"], env=clean_env())
    assert result.returncode == 0
    for option in ("--target", "--profiles-dir", "--project-dir", "--table", "--output-dir",
                   "--test-size", "--seed", "--split", "--verbose"):
        assert option in result.stdout
    assert "Exit status" in result.stdout


def test_run_from_the_repo_root(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    db = write_database(tmp_path / "warehouse.duckdb", make_events(200, seed=11))
    out = tmp_path / "out"
    result = run_fit(
        ["--project-dir", str(project), "--output-dir", str(out), "--split", "rows", "--test-size", "0.25"],
        env=clean_env(DBT_DUCKDB_PATH=str(db)),
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "read " in result.stderr and "wrote " in result.stderr  # logging goes to stderr
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["split"] == "rows" and meta["test_size"] == 0.25


def test_missing_database_subprocess(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    out = tmp_path / "out"
    before = seed_previous_artifacts(out)
    db = tmp_path / "missing.duckdb"
    result = run_fit(
        ["--project-dir", str(project), "--output-dir", str(out)],
        env=clean_env(DBT_DUCKDB_PATH=str(db)), cwd=tmp_path,
    )
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "does not exist" in errors[0] and "dbt build" in errors[0]
    assert "Traceback" not in result.stderr
    assert not db.exists()
    assert snapshot(out) == before


def test_bad_test_size_subprocess(tmp_path: Path) -> None:
    result = run_fit(["--test-size", "1.0"], env=clean_env(), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: argument --test-size: must be strictly between 0 and 1, not 1.0 (see --help)"
    ]


def _interrupting_module(directory: Path, name: str) -> Path:
    """A package ``name`` whose import raises KeyboardInterrupt: Ctrl-C at that import, deterministically."""
    package = directory / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("raise KeyboardInterrupt\n")
    return directory


@pytest.mark.parametrize(
    "module",
    [
        "argparse",  # imported by fit.py's own import of the command line
        "sklearn",  # imported by the command line once the options are parsed
    ],
)
def test_ctrl_c_during_imports_prints_one_line_and_exits_130(tmp_path: Path, module: str) -> None:
    project = make_project(tmp_path / "project")
    db = write_database(tmp_path / "warehouse.duckdb", make_events(60, seed=2))
    out = tmp_path / "out"
    before = seed_previous_artifacts(out)
    fake = _interrupting_module(tmp_path / "fake", module)
    result = run_fit(
        ["--project-dir", str(project), "--output-dir", str(out)],
        env=clean_env(DBT_DUCKDB_PATH=str(db), PYTHONPATH=str(fake)), cwd=REPO_ROOT,
    )
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip().splitlines() == ["error: interrupted; existing output files were left unchanged"]
    assert snapshot(out) == before


def test_console_script_points_at_the_command_line() -> None:
    scripts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, function = scripts["prospect-train"].partition(":")
    assert callable(getattr(importlib.import_module(module), function))


def test_usage_names_the_command_the_user_ran() -> None:
    """`prospect-train --help` says prospect-train, `python train/fit.py --help` says fit.py."""
    script = Path(sys.executable).parent / "prospect-train"
    console = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60, env=clean_env())
    assert console.returncode == 0 and console.stdout.startswith("usage: prospect-train "), console.stdout[:200]
    assert run_fit(["--help"], env=clean_env()).stdout.startswith("usage: fit.py ")


def test_no_sys_path_edits_in_the_package_or_scripts() -> None:
    """Imports resolve through the installed package, pytest's pythonpath or PYTHONPATH, never by editing the path."""
    needle = "sys." + "path"  # not spelled out: this file is checked too
    paths = [p for folder in ("train", "scripts", "tests") for p in (REPO_ROOT / folder).rglob("*.py")]
    assert len(paths) > 50
    for path in paths:
        assert needle not in path.read_text(encoding="utf-8"), path
