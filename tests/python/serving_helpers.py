"""Helpers of the serving tests (imported by test_serving*.py, test_signals_export.py, test_scoring.py).

* :func:`synthetic_artifacts`: a model folder whose contract has every kind of
  feature the catalog can produce (a counter, a unique_list used by its length, a
  boolean, a categorical string with a null default), fitted as a scikit-learn
  Pipeline on a DataFrame, so the conversion rules are tested beyond the sample's
  three counters;
* :func:`trained_on_sample`: ``train/fit.py`` on the session's sample build, once
  per test process (memoised: several test modules use it);
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
import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

REPO_ROOT = Path(__file__).resolve().parents[2]
TRAIN_DIR = REPO_ROOT / "train"
SETUP_SCRIPT = REPO_ROOT / "scripts" / "emulators" / "setup.sh"
STANDIN_SCRIPT = Path(__file__).with_name("signals_standin.py")
SANDBOX_TOKEN = "test-sandbox-token"

COUNTER = {"name": "num_page_views", "type": "int64", "events": [{"name": "page_view"}], "aggregation": "counter"}
SYNTHETIC_CONTRACT: list[dict] = [
    {"name": "num_page_views", "feature_kind": "numeric", "data_type": "integer", "aggregation": "counter",
     "default_value": "0", "serving_transform": None, "signals_definition": json.dumps(COUNTER),
     "description": "Page views so far."},
    {"name": "num_sessions", "feature_kind": "numeric", "data_type": "integer", "aggregation": "unique_list",
     "default_value": "0", "serving_transform": "length",
     "signals_definition": json.dumps({"name": "num_sessions", "type": "string_list", "events": [],
                                       "aggregation": "unique_list",
                                       "property": {"type": "atomic", "name": "domain_sessionid"}}),
     "description": "Distinct sessions so far."},
    {"name": "is_mobile", "feature_kind": "boolean", "data_type": "boolean", "aggregation": "last",
     "default_value": "false", "serving_transform": None,
     "signals_definition": json.dumps({"name": "is_mobile", "type": "bool", "events": [], "aggregation": "last",
                                       "property": {"type": "atomic", "name": "dvce_ismobile"}}),
     "description": "The last event came from a mobile device."},
    {"name": "first_refr_medium", "feature_kind": "categorical", "data_type": "string", "aggregation": "first",
     "default_value": None, "serving_transform": None,
     "signals_definition": json.dumps({"name": "first_refr_medium", "type": "string", "events": [],
                                       "aggregation": "first",
                                       "property": {"type": "atomic", "name": "refr_medium"}}),
     "description": "Referrer medium of the first event."},
]
SYNTHETIC_FEATURES = [c["name"] for c in SYNTHETIC_CONTRACT]


def synthetic_pipeline(seed: int = 0) -> tuple[Pipeline, pd.DataFrame]:
    """A fitted Pipeline over the synthetic contract's features, and the frame it was fitted on.

    The frame is typed as the training frame is (float64 numbers, bool, strings with
    NaN for null); the categorical column goes through a one-hot encoder that knows
    the null category.
    """
    rng = np.random.default_rng(seed)
    n = 400
    media = np.array(["search", "social", "email", np.nan], dtype=object)
    frame = pd.DataFrame({
        "num_page_views": rng.poisson(4, n).astype(np.float64),
        "num_sessions": rng.poisson(1.5, n).astype(np.float64),
        "is_mobile": rng.random(n) < 0.3,
        "first_refr_medium": media[rng.integers(0, 4, n)],
    })
    logit = (-1 + 0.3 * frame["num_page_views"] - 0.4 * frame["num_sessions"] + frame["is_mobile"]
             + (frame["first_refr_medium"] == "search").astype(float))
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    pre = ColumnTransformer([
        ("numeric", StandardScaler(), ["num_page_views", "num_sessions"]),
        ("boolean", "passthrough", ["is_mobile"]),
        ("categorical", OneHotEncoder(handle_unknown="ignore"), ["first_refr_medium"]),
    ])
    pipeline = Pipeline([("pre", pre), ("model", LogisticRegression())]).fit(frame, y)
    return pipeline, frame


def synthetic_artifacts(directory: Path, *, threshold: float = 0.4) -> Path:
    """Write model.joblib + metadata.json of the synthetic contract into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    pipeline, _ = synthetic_pipeline()
    joblib.dump(pipeline, directory / "model.joblib")
    metadata = {
        "trained_at_utc": "2026-01-02T03:04:05Z",
        "target": "target_had_submit_form_next1h",
        "features": SYNTHETIC_FEATURES,
        "feature_contract": SYNTHETIC_CONTRACT,
        "threshold": threshold,
        "model": {"kind": "logreg"},
        "data_fingerprint": {"sha256": "0" * 64},
    }
    (directory / "metadata.json").write_text(json.dumps(metadata, indent=2))
    return directory


# --------------------------------------------------------------------------- training on the sample

_TRAINED: dict[str, Path] = {}


def trained_on_sample(db_path: Path, out: Path, extra_args: Sequence[str] = ()) -> Path:
    """``train/fit.py`` on ``db_path`` into ``out`` once per process and argument list."""
    key = f"{db_path}|{' '.join(extra_args)}"
    if key not in _TRAINED:
        env = {**os.environ, "DBT_DUCKDB_PATH": str(db_path), "DBT_TARGET": "duckdb"}
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
