"""Helpers for the training-step tests: contract-conforming DuckDB fixture files.

Not a conftest (imported explicitly by ``test_train_*.py``). The databases follow
the CONTRACT of the dbt project: ``main.final_training`` (one row per event:
``event_id``, ``domain_userid``, ``derived_tstamp``, ``event_name``, features
(BIGINT counts by default, any DuckDB type with ``feature_types``), BOOLEAN
``target_had_submit_form_next1h``, optional BOOLEAN ``is_label_mature``) and
``main.final_training_columns`` (``column_name``, ``column_role``, ``ordinal``,
``description``, ``data_type``, ``feature_kind``, ``aggregation``,
``default_value``, ``serving_transform``, ``signals_definition``,
``training_row_count``, ``build_invocation_id``; ``legacy_contract=True``
writes only the first four, as older builds did).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[2]
TRAIN_DIR = REPO_ROOT / "train"
FIT_SCRIPT = TRAIN_DIR / "fit.py"

FEATURES = ["num_page_views", "num_pricing_views", "num_customers_views"]
TARGET = "target_had_submit_form_next1h"
MATURITY = "is_label_mature"
PROFILE = "prospect_scoring"

DESCRIPTIONS = {
    "event_id": "Snowplow event id",
    "domain_userid": "First-party visitor id",
    "derived_tstamp": "Event time",
    "event_name": "Snowplow event name",
    "num_page_views": "Page views by the visitor so far",
    "num_pricing_views": "Pricing page views by the visitor so far",
    "num_customers_views": "Customers page views by the visitor so far",
    TARGET: "The visitor converts (submit_form) within 3600 whole seconds after this event.",
    MATURITY: "The 1h label horizon lies within the observed data",
}

PROFILES_YML = """\
prospect_scoring:
  target: duckdb
  outputs:
    duckdb:
      type: duckdb
      path: "{{ env_var('DBT_DUCKDB_PATH', 'prospect_scoring.duckdb') }}"
      schema: main
      threads: 2
    warehouse:
      type: snowflake
      account: example
      schema: main
"""


def make_events(
    n_visitors: int = 300,
    *,
    seed: int = 0,
    features: Sequence[str] = FEATURES,
    positive_scale: float = 1.0,
) -> pd.DataFrame:
    """Synthetic page-view events with a realistic signal.

    Each visitor has a latent intent; pricing and customers page views are more
    likely for high intent, and the chance of submitting a form within the next
    hour grows with intent and with the running counts of those views. Counts are
    cumulative per visitor (as the dbt features are). The last hour of data is
    immature (``is_label_mature`` false).
    """
    rng = np.random.default_rng(seed)
    n_events = rng.geometric(1 / 9, size=n_visitors).clip(1, 60)
    visitor = np.repeat(np.arange(n_visitors), n_events)
    n = len(visitor)
    intent = rng.normal(size=n_visitors)[visitor]
    start = rng.uniform(0, 14 * 24 * 3600, size=n_visitors)[visitor]
    step = rng.exponential(600, size=n)
    first = np.r_[0, np.flatnonzero(np.diff(visitor)) + 1]
    offsets = np.cumsum(step) - np.repeat(np.cumsum(step)[first] - step[first], n_events)
    seconds = start + offsets
    page = rng.choice(3, size=n, p=[0.8, 0.12, 0.08])
    page = np.where((intent > 0.8) & (rng.random(n) < 0.25), 1, page)
    counts = {}
    for k, name in enumerate(["num_page_views", "num_pricing_views", "num_customers_views"]):
        hit = (page == k) | (k == 0)
        cum = np.cumsum(hit)
        counts[name] = cum - np.repeat(cum[first] - hit[first], n_events)
    logit = (
        -4.2 + 0.9 * intent + 0.35 * counts["num_pricing_views"]
        + 0.2 * counts["num_customers_views"] + 0.02 * counts["num_page_views"]
    )
    target = rng.random(n) < positive_scale / (1 + np.exp(-logit))
    base = np.datetime64("2024-03-01T00:00:00", "us")
    tstamp = base + (seconds * 1e6).astype("timedelta64[us]")
    mature = tstamp + np.timedelta64(3600, "s") <= tstamp.max()
    frame = pd.DataFrame(
        {
            "event_id": [f"ev-{i:07d}-{h:08x}" for i, h in enumerate(rng.integers(0, 2**32, n))],
            "domain_userid": [f"{v:08x}-visitor" for v in rng.permutation(n_visitors * 7)[visitor]],
            "derived_tstamp": tstamp,
            "event_name": "page_view",
        }
    )
    for name in features:
        frame[name] = counts[name] if name in counts else rng.poisson(2, size=n)
    frame[TARGET] = target
    frame[MATURITY] = mature
    return frame


def column_rows(
    features: Sequence[str] = FEATURES, *, with_maturity: bool = True
) -> list[tuple[str, str, int, str]]:
    """Rows of final_training_columns in the contract's first four columns."""
    rows = [
        ("event_id", "identifier"),
        ("domain_userid", "identifier"),
        ("derived_tstamp", "identifier"),
        ("event_name", "identifier"),
        *[(f, "feature") for f in features],
        (TARGET, "target"),
    ]
    if with_maturity:
        rows.append((MATURITY, "label_maturity"))
    return [(name, role, i + 1, DESCRIPTIONS.get(name, name)) for i, (name, role) in enumerate(rows)]


def counter_details(name: str) -> dict[str, Any]:
    """The contract's details of a counter feature (as dbt renders them)."""
    return {
        "data_type": "integer", "feature_kind": "numeric", "aggregation": "counter", "default_value": "0",
        "signals_definition": json.dumps({"name": name, "type": "int64", "aggregation": "counter",
                                          "events": [{"name": "page_view"}]}),
    }


CONTRACT_COLUMNS = ("data_type", "feature_kind", "aggregation", "default_value", "serving_transform",
                    "signals_definition")


def write_database(
    path: Path,
    events: pd.DataFrame | None,
    *,
    features: Sequence[str] = FEATURES,
    with_maturity: bool = True,
    columns: Iterable[tuple[str, str, int, str]] | None = None,
    with_columns_table: bool = True,
    feature_types: Mapping[str, str] | None = None,
    details: Mapping[str, Mapping[str, Any]] | None = None,
    legacy_contract: bool = False,
    training_row_count: int | None = None,
    build_id: str = "test-build-1",
) -> Path:
    """Write ``main.final_training`` (unless ``events`` is None) and ``final_training_columns``.

    ``details`` gives per-feature contract columns (default: a counter's, see
    :func:`counter_details`, for every BIGINT feature); ``training_row_count``
    defaults to the number of events written.
    """
    feature_types = dict(feature_types or {})
    con = duckdb.connect(str(path))
    try:
        if events is not None:
            feature_sql = "".join(f', "{f}"::{feature_types.get(f, "BIGINT")} AS "{f}"' for f in features)
            maturity_sql = f', "{MATURITY}"::BOOLEAN AS "{MATURITY}"' if with_maturity else ""
            con.register("events_df", events)
            con.execute(
                "CREATE TABLE main.final_training AS SELECT event_id::VARCHAR AS event_id, "
                "domain_userid::VARCHAR AS domain_userid, derived_tstamp::TIMESTAMP AS derived_tstamp, "
                f"event_name::VARCHAR AS event_name{feature_sql}, "
                f'"{TARGET}"::BOOLEAN AS "{TARGET}"{maturity_sql} FROM events_df'
            )
            con.unregister("events_df")
        if with_columns_table:
            rows = list(columns) if columns is not None else column_rows(features, with_maturity=with_maturity)
            if legacy_contract:
                con.execute(
                    "CREATE TABLE main.final_training_columns (column_name VARCHAR, column_role VARCHAR, "
                    "ordinal INTEGER, description VARCHAR)"
                )
                if rows:
                    con.executemany("INSERT INTO main.final_training_columns VALUES (?, ?, ?, ?)", rows)
            else:
                extra = ", ".join(f"{c} VARCHAR" for c in CONTRACT_COLUMNS)
                con.execute(
                    "CREATE TABLE main.final_training_columns (column_name VARCHAR, column_role VARCHAR, "
                    f"ordinal INTEGER, description VARCHAR, {extra}, training_row_count BIGINT, "
                    "build_invocation_id VARCHAR)"
                )
                count = training_row_count
                if count is None:
                    count = len(events) if events is not None else 0
                full = []
                for name, role, ordinal, description in rows:
                    info: Mapping[str, Any] = {}
                    if role == "feature":
                        if details is not None and name in details:
                            info = details[name]
                        elif feature_types.get(name, "BIGINT") == "BIGINT":
                            info = counter_details(name)
                    full.append((name, role, ordinal, description, *[info.get(c) for c in CONTRACT_COLUMNS],
                                 count, build_id))
                if full:
                    con.executemany(
                        f"INSERT INTO main.final_training_columns VALUES ({', '.join(['?'] * 12)})", full
                    )
    finally:
        con.close()
    return path


def make_project(directory: Path, *, profiles: str = PROFILES_YML) -> Path:
    """A minimal dbt project dir (dbt_project.yml naming the profile + profiles.yml)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "dbt_project.yml").write_text(
        f"name: prospect_scoring\nversion: '1.0.0'\nprofile: {PROFILE}\n", encoding="utf-8"
    )
    (directory / "profiles.yml").write_text(profiles, encoding="utf-8")
    return directory


def clean_env(**extra: str) -> dict[str, str]:
    """The current environment without dbt variables, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBT_")}
    env.update(extra)
    return env


def run_fit(args: Sequence[str], *, env: dict[str, str], cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python train/fit.py ARGS`` as a subprocess (from the repo root by default)."""
    return subprocess.run(
        [sys.executable, str(FIT_SCRIPT.relative_to(REPO_ROOT)) if cwd == REPO_ROOT else str(FIT_SCRIPT), *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )


def snapshot(directory: Path) -> dict[str, bytes]:
    """``{file name: bytes}`` of every file in ``directory`` (including hidden temp files)."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def seed_previous_artifacts(directory: Path) -> dict[str, bytes]:
    """Pre-create output files of an earlier run; returns their bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "model.joblib": b"previous model \x00\x01\x02",
        "metadata.json": b'{"previous": true}\n',
        "report.md": b"# previous report\n",
        "roc_curve.png": b"\x89PNG previous",
    }
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return snapshot(directory)
