"""Helpers of the serving tests (imported by test_serving*.py, test_signals_export.py, test_scoring.py).

* :func:`rich_database`: a contract-conforming DuckDB file whose features have
  every kind the catalog can produce (counters, a unique_list used by its length,
  a boolean, a categorical with nulls), so the conversion rules are tested beyond
  the sample's three counters; :func:`fit` trains on it with ``train/fit.py``;
* :func:`fit_on_sample`: ``train/fit.py`` on the session's sample build; both are
  memoised per test process (several test modules use them);
* :func:`signals_python`: the Python of ``.venv-signals`` (created by
  ``scripts/emulators/setup.sh signals`` if needed);
* :func:`free_port`, :func:`run_server`, :func:`run_signals_standin`: real
  processes on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import httpx
import numpy as np

import conftest_train_helpers as helpers

REPO_ROOT = Path(__file__).resolve().parents[2]
TRAIN_DIR = REPO_ROOT / "train"
SETUP_SCRIPT = REPO_ROOT / "scripts" / "emulators" / "setup.sh"
STANDIN_SCRIPT = Path(__file__).with_name("signals_standin.py")
SANDBOX_TOKEN = "test-sandbox-token"

#: Contract details of the rich fixture's features beyond the three counters: every kind the
#: catalog produces (a unique_list used by its length, a boolean, a categorical with nulls).
RICH_DETAILS: dict[str, dict] = {
    "num_sessions": {
        "data_type": "integer", "feature_kind": "numeric", "aggregation": "unique_list", "default_value": "0",
        "serving_transform": "length",
        "signals_definition": json.dumps({"name": "num_sessions", "type": "string_list", "events": [],
                                          "aggregation": "unique_list",
                                          "property": {"type": "atomic", "name": "domain_sessionid"}}),
    },
    "is_mobile": {
        "data_type": "boolean", "feature_kind": "boolean", "aggregation": "last", "default_value": "false",
        "signals_definition": json.dumps({"name": "is_mobile", "type": "bool", "events": [], "aggregation": "last",
                                          "property": {"type": "atomic", "name": "dvce_ismobile"}}),
    },
    "first_refr_medium": {
        "data_type": "string", "feature_kind": "categorical", "aggregation": "first", "default_value": None,
        "signals_definition": json.dumps({"name": "first_refr_medium", "type": "string", "events": [],
                                          "aggregation": "first",
                                          "property": {"type": "atomic", "name": "refr_medium"}}),
    },
}
RICH_TYPES = {"num_sessions": "BIGINT", "is_mobile": "BOOLEAN", "first_refr_medium": "VARCHAR"}
RICH_FEATURES = [*helpers.FEATURES, *RICH_DETAILS]


def rich_database(path: Path, n_visitors: int = 300) -> Path:
    """A contract-conforming DuckDB file (final_training + final_training_columns) with every feature kind."""
    events = helpers.make_events(n_visitors, seed=3)
    rng = np.random.default_rng(4)
    n = len(events)
    events["num_sessions"] = (events["num_page_views"] // 4 + rng.integers(0, 2, n)).astype(np.int64)
    events["is_mobile"] = rng.random(n) < 0.3
    media = np.array(["search", "social", "email", "(rare)", None], dtype=object)
    events["first_refr_medium"] = media[rng.choice(5, size=n, p=[0.4, 0.25, 0.2, 0.01, 0.14])]
    # the signal the models can find in the extra features
    events[helpers.TARGET] = events[helpers.TARGET] | ((events["first_refr_medium"] == "search") & (rng.random(n) < 0.1))
    details = {name: helpers.counter_details(name) for name in helpers.FEATURES} | RICH_DETAILS
    return helpers.write_database(path, events, features=RICH_FEATURES, feature_types=RICH_TYPES, details=details)


# --------------------------------------------------------------------------- training on the sample

_TRAINED: dict[str, Path] = {}


def fit(db_path: Path, out: Path, *extra_args: str) -> Path:
    """``train/fit.py`` on the DuckDB file ``db_path`` into ``out``, once per process and arguments."""
    key = f"{db_path}|{' '.join(extra_args)}"
    if key not in _TRAINED:
        work = helpers.make_project(out.parent / f"{out.name}_project")
        env = helpers.clean_env(DBT_DUCKDB_PATH=str(db_path), OMP_NUM_THREADS="1")
        result = helpers.run_fit(["--project-dir", str(work), "--profiles-dir", str(work), "--output-dir",
                                  str(out), *extra_args], env=env)
        assert result.returncode == 0, result.stderr[-3000:]
        _TRAINED[key] = out
    return _TRAINED[key]


def fit_on_sample(db_path: Path, out: Path, *extra_args: str) -> Path:
    """``train/fit.py`` on the sample build (the project's own profile), once per process and arguments."""
    key = f"{db_path}|sample|{' '.join(extra_args)}"
    if key not in _TRAINED:
        env = {**os.environ, "DBT_DUCKDB_PATH": str(db_path), "DBT_TARGET": "duckdb", "OMP_NUM_THREADS": "1"}
        result = subprocess.run(
            [sys.executable, "train/fit.py", "--output-dir", str(out), *extra_args], cwd=REPO_ROOT,
            env=env, text=True, capture_output=True, timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        _TRAINED[key] = out
    return _TRAINED[key]


# --------------------------------------------------------------------------- processes

def signals_python() -> Path:
    """The Python of .venv-signals (made by scripts/emulators/setup.sh signals when missing or stale)."""
    result = subprocess.run(["bash", str(SETUP_SCRIPT), "signals"], cwd=REPO_ROOT, text=True,
                            capture_output=True, timeout=900)
    assert result.returncode == 0, f"setup.sh signals failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    root = Path(os.environ.get("WAREHOUSE_VENV_DIR") or REPO_ROOT)
    return root / ".venv-signals" / "bin" / "python"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def package_env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess that imports prospect_model (train/ on PYTHONPATH)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SNOWPLOW_SIGNALS_", "PROSPECT_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(TRAIN_DIR), *filter(None, [os.environ.get("PYTHONPATH")])])
    env.update(extra)
    return env


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"process exited with {process.returncode}:\n{out}\n{err}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def _running(command: Sequence[str], url: str, env: Mapping[str, str], cwd: Path = REPO_ROOT) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(list(command), cwd=cwd, env=dict(env), text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(url, process)
        yield process
    finally:
        process.terminate()
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


@contextlib.contextmanager
def run_server(python: Path | str, model_dir: Path, *, extra_args: Sequence[str] = (),
               env: Mapping[str, str] | None = None) -> Iterator[str]:
    """``prospect-serve`` (python -m prospect_model.server) on a free port; yields its base URL."""
    port = free_port()
    command = [str(python), "-m", "prospect_model.server", "--host", "127.0.0.1", "--port", str(port),
               "--model-dir", str(model_dir), *extra_args]
    with _running(command, f"http://127.0.0.1:{port}/health", env or package_env()):
        yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def run_signals_standin(python: Path | str, attributes: Mapping[str, Mapping[str, object]],
                        work: Path) -> Iterator[tuple[str, Path]]:
    """The Signals stand-in (signals_standin.py) on a free port; yields (API URL, request log)."""
    port = free_port()
    attributes_file, log_file = work / "standin_attributes.json", work / "standin_requests.jsonl"
    attributes_file.write_text(json.dumps(attributes))
    log_file.write_text("")
    command = [str(python), str(STANDIN_SCRIPT), "--port", str(port), "--attributes", str(attributes_file),
               "--log", str(log_file), "--token", SANDBOX_TOKEN, "--max-seconds", "600"]
    url = f"http://127.0.0.1:{port}"
    with _running(command, url + "/", package_env()):
        yield url, log_file


def requests_logged(log_file: Path) -> list[dict]:
    """The requests the stand-in received."""
    return [json.loads(line) for line in log_file.read_text().splitlines() if line.strip()]
