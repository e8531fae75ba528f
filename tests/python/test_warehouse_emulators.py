"""The Snowflake and BigQuery targets, proven offline on emulators (no credentials, no network).

For each warehouse: the project's own requirement files make the environments
(scripts/emulators/setup.sh), an emulator starts on a free 127.0.0.1 port, the
shipped sample is loaded through the warehouse's bulk path
(scripts/emulators/load_table.py: seconds, where ``dbt seed`` through the
emulator takes minutes), ``dbt build`` runs every model, data
test and unit test, ``final_training`` read back through the training step's
reader equals the DuckDB build row for row, and ``train/fit.py --target`` trains
on it (same data fingerprint as on DuckDB). Each emulator also builds one attribute
catalog into a schema of its own (the web_full preset, first / last and lifetime
most_frequent attributes, windowed distinct counts; on BigQuery also least_frequent,
windowed and numeric most_frequent, FREQUENCY_CATALOG), equal to the
DuckDB build row for row; ``dbt seed`` of a small slice of the sample
equals the bulk load; what Snowflake does not implement yet stops
compilation with one line. ``dbt compile`` works with dummy
credentials, and the compiled SQL of each target (models, data tests, and the unit
tests of the emulator builds) passes scripts/check_compiled_sql.py; the dummy-credentials
compile (every aggregation) also passes sqlfluff in the warehouse's dialect
(compiled_sql_lint.py: the adapter-specific macros `make lint` cannot render).

What the emulators cannot prove (they run on DuckDB): see docs/warehouses.md.
Run only this group with ``pytest -m warehouse``; skip it with ``-m "not warehouse"``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from catalogs import EVERY_AGGREGATION, EVERY_AGGREGATION_SCORE_MODEL
from compiled_sql_lint import assert_lint_clean
from dbt_harness import ALL_OPTIONS_VARS, PROJECT_DIR
from emulators import servers

pytestmark = pytest.mark.warehouse

SETUP_SCRIPT = PROJECT_DIR / "scripts" / "emulators" / "setup.sh"
CHECKER = PROJECT_DIR / "scripts" / "check_compiled_sql.py"
DUMP = PROJECT_DIR / "scripts" / "emulators" / "dump_table.py"
LOAD = PROJECT_DIR / "scripts" / "emulators" / "load_table.py"
SAMPLE_SEED = "snowplow_sample_events"
SAMPLE_CSV = PROJECT_DIR / "seeds" / f"{SAMPLE_SEED}.csv"
#: Warnings dbt may report: the sample has events without derived_tstamp on purpose.
ALLOWED_WARNINGS: set[str] = set()
TIMEOUT_SETUP = 2400
TIMEOUT_DBT = 600
TIMEOUT_FIT = 300


def _base_env() -> dict[str, str]:
    """The environment without any warehouse settings of the developer's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SNOWFLAKE_", "BIGQUERY_", "DBT_"))}
    # The helper scripts (scripts/emulators/*.py) import the training step's package from train/.
    env.update(DBT_SEND_ANONYMOUS_USAGE_STATS="false", DO_NOT_TRACK="1", PYTHONWARNINGS="ignore",
               PYTHONPATH=str(PROJECT_DIR / "train"))
    return env


def _run(command: Sequence[str], env: Mapping[str, str], timeout: int, cwd: Path = PROJECT_DIR) -> subprocess.CompletedProcess[str]:
    """Run ``command`` under `timeout` (and a Python-side timeout as a backstop)."""
    return subprocess.run(
        ["timeout", "--kill-after=10", str(timeout), *command],
        cwd=cwd, env=dict(env), text=True, capture_output=True, timeout=timeout + 30,
    )


def _output(result: subprocess.CompletedProcess[str], limit: int = 6000) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout[-limit:]}\n--- stderr\n{result.stderr[-3000:]}"


def _dbt(venv: str, args: Sequence[str], work: Path, env: Mapping[str, str], dbt_vars: Mapping[str, object] | None = None) -> subprocess.CompletedProcess[str]:
    command = [
        str(servers.venv_bin(venv, "dbt")), *args,
        "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
    ]
    if dbt_vars:
        command += ["--vars", json.dumps(dict(dbt_vars))]
    return _run(command, env, TIMEOUT_DBT)


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def warehouse_venvs() -> dict[str, float]:
    """Create (or confirm) .venv-snowflake, .venv-bigquery, .venv-fakesnow, .venv-crucible."""
    start = time.monotonic()
    result = _run(["bash", str(SETUP_SCRIPT)], _base_env(), TIMEOUT_SETUP)
    assert result.returncode == 0, f"scripts/emulators/setup.sh failed:\n{_output(result)}"
    return {"setup_seconds": time.monotonic() - start}


@dataclass
class DuckDBReference:
    final_training: pd.DataFrame
    fingerprint: dict[str, object]


@pytest.fixture(scope="module")
def duckdb_reference(sample_build, tmp_path_factory: pytest.TempPathFactory) -> DuckDBReference:
    """final_training of the DuckDB build of the shipped sample (conftest's sample_build), and the fit's data fingerprint."""
    work = tmp_path_factory.mktemp("duckdb_reference")
    with duckdb.connect(str(sample_build.db_path), read_only=True) as con:
        table = con.sql("select * from main.final_training").to_arrow_table()
    env = {**_base_env(), "DBT_DUCKDB_PATH": str(sample_build.db_path)}
    fit = _run([sys.executable, "train/fit.py", "--target", "duckdb", "--output-dir", str(work / "artifacts")], env, TIMEOUT_FIT)
    assert fit.returncode == 0, _output(fit)
    metadata = json.loads((work / "artifacts" / "metadata.json").read_text())
    return DuckDBReference(_normalised(table), metadata["data_fingerprint"])


@dataclass
class WarehouseRun:
    """Everything one emulator run produced."""

    target: str
    env: dict[str, str]
    work: Path
    load: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str] | None = None
    dump: subprocess.CompletedProcess[str] | None = None
    fit: subprocess.CompletedProcess[str] | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def compiled(self) -> Path:
        return self.work / "target" / "compiled"


def _warehouse_run(target: str, venv: str, emulator: servers.Emulator, work: Path, schema: str) -> WarehouseRun:
    """Load the sample, dbt build, read final_training back, fit.py: each step's result, in order."""
    env = {**_base_env(), **emulator.env}
    # The sample is the events table (the seed's name and types): it lives in the target's own schema.
    dbt_vars = {"snowplow__atomic_schema": schema, "snowplow__events_table": SAMPLE_SEED}
    timings: dict[str, float] = {}
    python = str(servers.venv_bin(venv, "python"))
    start = time.monotonic()
    load = _run([python, str(LOAD), "--target", target, str(SAMPLE_CSV), SAMPLE_SEED], env, TIMEOUT_FIT)
    timings["load sample"] = time.monotonic() - start
    run = WarehouseRun(target, env, work, load, timings=timings)
    if load.returncode != 0:
        return run
    start = time.monotonic()
    # The sample is loaded already: the seed (same table) is not rebuilt.
    run.build = _dbt(venv, ["build", "--target", target, "--exclude", "resource_type:seed"], work, env, dbt_vars)
    timings["dbt build"] = time.monotonic() - start
    start = time.monotonic()
    run.dump = _run([python, str(DUMP), "--target", target, "final_training", str(work / "final_training.parquet")], env, TIMEOUT_FIT)
    timings["read back"] = time.monotonic() - start
    start = time.monotonic()
    run.fit = _run([python, "train/fit.py", "--target", target, "--output-dir", str(work / "artifacts")], env, TIMEOUT_FIT)
    timings["fit.py"] = time.monotonic() - start
    return run


@pytest.fixture(scope="module")
def snowflake_run(warehouse_venvs: dict[str, float], tmp_path_factory: pytest.TempPathFactory) -> Iterator[WarehouseRun]:
    work = tmp_path_factory.mktemp("snowflake")
    with servers.start_fakesnow(work / "fakesnow.log") as emulator:
        yield _warehouse_run("snowflake", "snowflake", emulator, work, emulator.env["SNOWFLAKE_SCHEMA"])


@pytest.fixture(scope="module")
def bigquery_run(warehouse_venvs: dict[str, float], tmp_path_factory: pytest.TempPathFactory) -> Iterator[WarehouseRun]:
    work = tmp_path_factory.mktemp("bigquery")
    with servers.start_crucible(work / "crucible.log") as emulator:
        yield _warehouse_run("bigquery", "bigquery", emulator, work, emulator.env["BIGQUERY_DATASET"])


@pytest.fixture(params=["snowflake", "bigquery"])
def warehouse_run(request: pytest.FixtureRequest) -> WarehouseRun:
    return request.getfixturevalue(f"{request.param}_run")


# ---------------------------------------------------------------------------- helpers


def _normalised(table: pa.Table) -> pd.DataFrame:
    """final_training in a warehouse-independent form: lower-case names, naive UTC timestamps, sorted."""
    table = table.rename_columns([name.lower() for name in table.column_names])
    frame = table.to_pandas()
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.astype("datetime64[us]")
        elif pd.api.types.is_bool_dtype(values):
            values = values.astype(bool)
        elif pd.api.types.is_integer_dtype(values):
            values = values.astype("int64")
        elif pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            values = values.astype(object)
        frame[column] = values
    return frame.sort_values("event_id", kind="stable").reset_index(drop=True)


def _run_results(run: WarehouseRun) -> tuple[dict, list[dict]]:
    target = run.work / "target"
    manifest = json.loads((target / "manifest.json").read_text())
    results = json.loads((target / "run_results.json").read_text())["results"]
    return manifest, results


def _check_compiled(dialect: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, str(CHECKER), "--dialect", dialect, *map(str, paths)], _base_env(), 300)


# ---------------------------------------------------------------------------- emulator builds


def test_dbt_build_passes_on_the_emulator(warehouse_run: WarehouseRun) -> None:
    """The sample loads, and dbt build passes: every model, data test and unit test of the project."""
    assert warehouse_run.load.returncode == 0, f"loading the sample failed:\n{_output(warehouse_run.load)}"
    assert warehouse_run.build is not None
    assert warehouse_run.build.returncode == 0, f"dbt build failed:\n{_output(warehouse_run.build)}"
    manifest, results = _run_results(warehouse_run)
    by_id = {r["unique_id"]: r for r in results}
    bad = {uid: r["status"] for uid, r in by_id.items() if r["status"] not in ("success", "pass", "warn")}
    assert not bad, f"not passed: {bad}"
    warned = {uid.split(".")[2] for uid, r in by_id.items() if r["status"] == "warn"}
    assert warned <= ALLOWED_WARNINGS, f"unexpected warnings: {warned - ALLOWED_WARNINGS}"
    # Nothing of the project was left out: all unit tests, data tests and models ran.
    unit_tests = {uid for uid in manifest["unit_tests"]}
    # (prospect_scores and its tests are disabled without snowplow__score_model: in the manifest, not enabled.)
    enabled = {uid: n for uid, n in manifest["nodes"].items() if n["config"].get("enabled", True)}
    data_tests = {uid for uid, n in enabled.items() if n["resource_type"] == "test"}
    models = {uid for uid, n in enabled.items() if n["resource_type"] == "model"}
    assert unit_tests and unit_tests <= set(by_id), f"unit tests not run: {sorted(unit_tests - set(by_id))}"
    assert data_tests and data_tests <= set(by_id), f"data tests not run: {sorted(data_tests - set(by_id))}"
    assert models <= set(by_id), f"models not built: {sorted(models - set(by_id))}"


def test_final_training_equals_the_duckdb_build(warehouse_run: WarehouseRun, duckdb_reference: DuckDBReference) -> None:
    """final_training read back from the warehouse equals the DuckDB build of the sample, row for row."""
    assert warehouse_run.dump is not None, "loading the sample failed (see test_dbt_build_passes_on_the_emulator)"
    assert warehouse_run.dump.returncode == 0, f"reading final_training back failed:\n{_output(warehouse_run.dump)}"
    actual = _normalised(pq.read_table(warehouse_run.work / "final_training.parquet"))
    expected = duckdb_reference.final_training
    assert list(actual.columns) == list(expected.columns)
    assert len(actual) == len(expected) > 0
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False)


def test_fit_trains_on_the_warehouse_table(warehouse_run: WarehouseRun, duckdb_reference: DuckDBReference) -> None:
    """train/fit.py --target <warehouse> reads final_training there and trains on exactly the DuckDB data."""
    assert warehouse_run.fit is not None, "loading the sample failed (see test_dbt_build_passes_on_the_emulator)"
    assert warehouse_run.fit.returncode == 0, f"fit.py --target {warehouse_run.target} failed:\n{_output(warehouse_run.fit)}"
    artifacts = warehouse_run.work / "artifacts"
    assert (artifacts / "model.joblib").is_file()
    metadata = json.loads((artifacts / "metadata.json").read_text())
    assert warehouse_run.target in metadata["data_source"].lower()
    # Same rows, same order, same values and types as read from DuckDB.
    assert metadata["data_fingerprint"] == duckdb_reference.fingerprint


def test_compiled_sql_of_the_emulator_build_passes_the_check(warehouse_run: WarehouseRun) -> None:
    """The SQL the emulator ran (unit tests with their fixtures and var overrides too) is valid for the real warehouse."""
    assert warehouse_run.compiled.is_dir(), "loading the sample failed (see test_dbt_build_passes_on_the_emulator)"
    result = _check_compiled(warehouse_run.target, warehouse_run.compiled)
    assert result.returncode == 0, _output(result)


def test_fit_reports_a_missing_table_in_one_line(warehouse_run: WarehouseRun) -> None:
    assert warehouse_run.fit is not None and warehouse_run.fit.returncode == 0, "the build or fit failed"
    python = str(servers.venv_bin(warehouse_run.target, "python"))
    result = _run([python, "train/fit.py", "--target", warehouse_run.target, "--table", "no_such_table",
                   "--output-dir", str(warehouse_run.work / "missing")], warehouse_run.env, TIMEOUT_FIT)
    assert result.returncode == 2, _output(result)
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: table ") and "no_such_table not found" in lines[-1], _output(result)


def test_fit_reports_an_empty_table_in_one_line(warehouse_run: WarehouseRun) -> None:
    """Models built from no events (an app id nobody has) into another schema: fit.py says the table is empty."""
    assert warehouse_run.fit is not None and warehouse_run.fit.returncode == 0, "the build or fit failed"
    schema_var = "SNOWFLAKE_SCHEMA" if warehouse_run.target == "snowflake" else "BIGQUERY_DATASET"
    env = {**warehouse_run.env, schema_var: "prospect_empty"}
    dbt_vars = {
        "snowplow__atomic_schema": warehouse_run.env[schema_var],
        "snowplow__events_table": SAMPLE_SEED,
        "snowplow__app_ids": ["no_such_app"],
    }
    work = warehouse_run.work / "empty"
    built = _dbt(warehouse_run.target, ["run", "--target", warehouse_run.target], work, env, dbt_vars)
    assert built.returncode == 0, _output(built)
    python = str(servers.venv_bin(warehouse_run.target, "python"))
    result = _run([python, "train/fit.py", "--target", warehouse_run.target, "--output-dir", str(work / "out")], env, TIMEOUT_FIT)
    assert result.returncode == 2, _output(result)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: table ") and "final_training" in last and "is empty" in last, _output(result)


# ---------------------------------------------------------------------------- without an emulator


#: A stand-in emulator: makes a folder in its temporary directory, as fakesnow does on import, then serves
#: on the port given.
STAND_IN_SERVER = """
import socket, sys, tempfile, time
tempfile.mkdtemp(prefix="stand_in_bucket_")
server = socket.socket()
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen()
time.sleep(600)
"""


def test_an_emulator_leaves_nothing_in_the_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An emulator process gets a TMPDIR of its own beside its log, removed when it stops (fakesnow leaves a
    9 MB stage folder in the temporary directory each run otherwise)."""
    shared_tmp = tmp_path / "tmp"
    shared_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(shared_tmp))
    work = tmp_path / "work"
    port = servers.free_port()
    with servers._start("stand-in", [sys.executable, "-c", STAND_IN_SERVER, str(port)], work / "stand-in.log",
                        port, servers._port_open, timeout=30) as emulator:
        assert emulator.tmp_dir is not None and emulator.tmp_dir.parent == work
        assert [p.name[:16] for p in emulator.tmp_dir.iterdir()] == ["stand_in_bucket_"]
    assert emulator.process.poll() is not None
    assert sorted(p.name for p in work.iterdir()) == ["stand-in.log"]
    assert list(shared_tmp.iterdir()) == []


def test_an_emulator_that_exits_at_start_leaves_nothing_either(tmp_path: Path) -> None:
    """A process that ends before it answers: one error with its log's tail, and its TMPDIR removed."""
    work = tmp_path / "work"
    command = [sys.executable, "-c", "import sys; print('no such port'); sys.exit(3)"]
    with pytest.raises(RuntimeError, match=r"(?s)stand-in exited with status 3:.*no such port"):
        servers._start("stand-in", command, work / "stand-in.log", servers.free_port(), servers._port_open, timeout=30)
    assert sorted(p.name for p in work.iterdir()) == ["stand-in.log"]


def _dummy_env(target: str) -> dict[str, str]:
    """Dummy credentials pointing at a closed local port: any connection attempt fails at once."""
    closed = servers.free_port()
    if target == "snowflake":
        env = servers.snowflake_env(closed)
        env.pop("DBT_FAKESNOW")
    else:
        env = servers.bigquery_env(f"http://127.0.0.1:{closed}")
    return {**_base_env(), **env}


def _every_aggregation(target: str) -> list[dict[str, object]]:
    """EVERY_AGGREGATION (catalogs.py: every aggregation, with and without a period, of every property type), on
    Snowflake without what it does not implement yet (NOT_YET: most_frequent / least_frequent other than a
    lifetime most_frequent of a string)."""
    if target != "snowflake":
        return EVERY_AGGREGATION
    return [a for a in EVERY_AGGREGATION if a["aggregation"] not in ("most_frequent", "least_frequent")
            or (a["aggregation"] == "most_frequent" and "period" not in a and a["type"] == "string")]


@pytest.mark.parametrize("target", ["snowflake", "bigquery"])
def test_compile_with_dummy_credentials_and_check_the_sql(target: str, warehouse_venvs: dict[str, float], tmp_path: Path) -> None:
    """dbt compile needs no warehouse, and its SQL (every option on, every aggregation, prospect_scores) passes
    the checker and sqlfluff in the warehouse's dialect (compiled_sql_lint.py: the snowflake__ / bigquery__
    macros, which `make lint` on DuckDB never renders)."""
    # Every branch option on, every aggregation in every form (every snowflake__ / bigquery__ catalog macro and
    # branch) and a score model (prospect_scores and its test: dateadd, instant_after). The defaults' and
    # web_full's SQL is checked where the emulators build it (test_compiled_sql_of_the_emulator_build...,
    # test_attribute_catalog_equals_the_duckdb_build).
    dbt_vars = {**ALL_OPTIONS_VARS, "snowplow__attributes": _every_aggregation(target),
                "snowplow__score_model": EVERY_AGGREGATION_SCORE_MODEL}
    work = tmp_path / "all_options"
    result = _dbt(target, ["compile", "--no-populate-cache", "--target", target], work, _dummy_env(target), dbt_vars)
    assert result.returncode == 0, f"dbt compile --target {target} (every option, every aggregation) failed:\n{_output(result)}"
    compiled = [work / "target" / "compiled"]
    assert (compiled[0] / "prospect_scoring" / "models" / "scores" / "prospect_scores.sql").is_file()
    result = _check_compiled(target, *compiled)
    assert result.returncode == 0, _output(result)
    seconds = assert_lint_clean(target, *compiled)
    print(f"sqlfluff ({target}): {seconds:.1f} s")


#: What Snowflake does not implement yet (docs/attributes.md): one attribute each, and the message. BigQuery
#: implements every aggregation (FREQUENCY_CATALOG below).
NOT_YET = {
    "snowflake": ({"name": "top_medium_last_1d", "type": "string", "events": [{"name": "page_view"}],
                   "aggregation": "most_frequent", "property": {"type": "atomic", "name": "refr_medium"},
                   "period": "P1D"},
                  "attribute 'top_medium_last_1d': aggregation 'most_frequent' is implemented on the adapter "
                  "'snowflake' only as a lifetime most_frequent of a string property (no period) yet"),
    "snowflake_least": ({"name": "rare_medium", "type": "string", "events": [{"name": "page_view"}],
                         "aggregation": "least_frequent", "property": {"type": "atomic", "name": "refr_medium"}},
                        "attribute 'rare_medium': aggregation 'least_frequent' is implemented on the adapter "
                        "'snowflake' only as a lifetime most_frequent of a string property (no period) yet"),
}


@pytest.mark.parametrize("case", sorted(NOT_YET))
def test_what_is_not_implemented_yet_stops_compilation_with_one_line(
    case: str, warehouse_venvs: dict[str, float], tmp_path: Path
) -> None:
    """On Snowflake, least_frequent and most_frequent with a period or of a non-string property stop `dbt compile`
    with a clear message (a lifetime most_frequent of a string works: web_full below)."""
    target = case.split("_")[0]
    attribute, message = NOT_YET[case]
    dbt_vars = {"snowplow__attributes": [attribute]}
    result = _dbt(target, ["compile", "--no-populate-cache", "--target", target, "-s", "int_prospect__features_as_of_event"],
                  tmp_path, _dummy_env(target), dbt_vars)
    assert result.returncode != 0, _output(result)
    assert message in result.stdout, _output(result)


@pytest.mark.parametrize("target", ["snowflake", "bigquery"])
def test_fit_reports_an_unreachable_warehouse_in_one_line(target: str, warehouse_venvs: dict[str, float], tmp_path: Path) -> None:
    python = str(servers.venv_bin(target, "python"))
    result = _run([python, "train/fit.py", "--target", target, "--output-dir", str(tmp_path / "out")], _dummy_env(target), TIMEOUT_FIT)
    assert result.returncode == 2, _output(result)
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: cannot connect to "), _output(result)


# ---------------------------------------------------------------------------- attribute catalogs


#: first / last on the emulators: lifetime and with periods, criteria, a default value,
#: string and integer properties (columns of the shipped sample); and lifetime most_frequent.
FIRST_LAST_CATALOG: list[dict[str, object]] = [
    {"name": "first_external_medium", "type": "string", "events": [{"name": "page_view"}], "aggregation": "first",
     "property": {"type": "atomic", "name": "refr_medium"},
     "criteria": {"all": [{"property": {"type": "atomic", "name": "refr_medium"}, "operator": "!=", "value": "internal"}]}},
    {"name": "last_page_path", "type": "string", "events": [{"name": "page_view"}], "aggregation": "last",
     "property": {"type": "atomic", "name": "page_urlpath"}},
    {"name": "first_country_last_1h", "type": "string", "events": [], "aggregation": "first",
     "property": {"type": "atomic", "name": "geo_country"}, "period": "PT1H", "default_value": "none"},
    {"name": "last_mkt_source_last_7d", "type": "string", "events": [{"name": "page_view"}], "aggregation": "last",
     "property": {"type": "atomic", "name": "mkt_source"}, "period": "P7D"},
    {"name": "last_session_index_last_1d", "type": "int64", "events": [], "aggregation": "last",
     "property": {"type": "atomic", "name": "domain_sessionidx"}, "period": "P1D", "default_value": 0},
    {"name": "first_session_index", "type": "int64", "events": [], "aggregation": "first",
     "property": {"type": "atomic", "name": "domain_sessionidx"}},
    # lifetime most_frequent (the running-count key): criteria, a default value, events: []
    {"name": "top_external_medium", "type": "string", "events": [{"name": "page_view"}], "aggregation": "most_frequent",
     "property": {"type": "atomic", "name": "refr_medium"}, "default_value": "none",
     "criteria": {"all": [{"property": {"type": "atomic", "name": "refr_medium"}, "operator": "!=", "value": "internal"}]}},
    {"name": "top_mkt_source_any_event", "type": "string", "events": [], "aggregation": "most_frequent",
     "property": {"type": "atomic", "name": "mkt_source"}},
]
#: Distinct counts with a period (Snowflake: the distinct elements of the frame's ARRAY_AGG; BigQuery: the
#: frame's values, counted by window_reduce), of string and integer properties.
WINDOWED_DISTINCT_CATALOG: list[dict[str, object]] = [
    {"name": "pages_last_1h", "type": "int64", "events": [{"name": "page_view"}], "aggregation": "approx_count_distinct",
     "property": {"type": "atomic", "name": "page_urlpath"}, "period": "PT1H"},
    {"name": "sources_last_7d", "type": "string_list", "events": [], "aggregation": "unique_list",
     "property": {"type": "atomic", "name": "mkt_source"}, "period": "P7D"},
    {"name": "session_indexes_last_1d", "type": "int64", "events": [], "aggregation": "approx_count_distinct",
     "property": {"type": "atomic", "name": "domain_sessionidx"}, "period": "P1D",
     "criteria": {"all": [{"property": {"type": "atomic", "name": "refr_medium"}, "operator": "!=", "value": "internal"}]}},
]
#: BigQuery only (Snowflake refuses these, NOT_YET): the frequencies other than a lifetime most_frequent of a
#: string (the frame's values, counted by window_reduce).
FREQUENCY_CATALOG: list[dict[str, object]] = [
    {"name": "top_medium_last_1d", "type": "string", "events": [{"name": "page_view"}], "aggregation": "most_frequent",
     "property": {"type": "atomic", "name": "refr_medium"}, "period": "P1D", "default_value": "none"},
    {"name": "rare_external_medium", "type": "string", "events": [{"name": "page_view"}], "aggregation": "least_frequent",
     "property": {"type": "atomic", "name": "refr_medium"},
     "criteria": {"all": [{"property": {"type": "atomic", "name": "refr_medium"}, "operator": "!=", "value": "internal"}]}},
    {"name": "rare_page_last_7d", "type": "string", "events": [], "aggregation": "least_frequent",
     "property": {"type": "atomic", "name": "page_urlpath"}, "period": "P7D"},
    {"name": "top_session_index", "type": "int64", "events": [], "aggregation": "most_frequent",
     "property": {"type": "atomic", "name": "domain_sessionidx"}},
]


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, object]]]:
    """What each emulator builds besides the defaults (`dbt run -s +final_training`, into a schema of its own),
    one catalog per warehouse: the web_full preset, as Signals definitions (``print_signals_attributes`` on
    DuckDB: the preset pasted back as a list builds the same columns), FIRST_LAST_CATALOG and
    WINDOWED_DISTINCT_CATALOG; BigQuery also FREQUENCY_CATALOG. One build per warehouse instead of one per catalog (each costs the emulator
    the whole chain of models)."""
    from dbt_harness import assert_dbt_ok, run_dbt

    work = tmp_path_factory.mktemp("web_full_definitions")
    result = run_dbt(["run-operation", "print_signals_attributes", "--args", json.dumps({"catalog": "web_full"})],
                     work / "db.duckdb", work)
    assert_dbt_ok(result)
    web_full = [json.loads(line.split("signals attribute: ", 1)[1])
                for line in result.stdout.splitlines() if "signals attribute: " in line]
    assert len(web_full) > 20, result.stdout[-3000:]
    snowflake = [*web_full, *FIRST_LAST_CATALOG, *WINDOWED_DISTINCT_CATALOG]
    return {"snowflake": snowflake, "bigquery": [*snowflake, *FREQUENCY_CATALOG]}


@pytest.fixture(scope="module")
def duckdb_catalog_build(catalogs: dict[str, list[dict[str, object]]],
                         tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """final_training of a DuckDB build of the sample with the BigQuery catalog (Snowflake's columns are a subset)."""
    from dbt_harness import assert_dbt_ok, run_dbt

    work = tmp_path_factory.mktemp("duckdb_catalog")
    db_path = work / "catalog.duckdb"
    assert_dbt_ok(run_dbt(["run", "-s", "+final_training"], db_path, work, {"snowplow__attributes": catalogs["bigquery"]}))
    with duckdb.connect(str(db_path), read_only=True) as con:
        return _normalised(con.sql("select * from main.final_training").to_arrow_table())


def test_attribute_catalog_equals_the_duckdb_build(
    warehouse_run: WarehouseRun, catalogs: dict[str, list[dict[str, object]]], duckdb_catalog_build: pd.DataFrame
) -> None:
    """web_full, first / last (periods, criteria, defaults, string and integer properties) and lifetime
    most_frequent and windowed distinct counts built on the emulator (into their own schema) equal the DuckDB
    build row for row; on BigQuery also least_frequent and windowed and numeric most_frequent."""
    only_bigquery = {str(a["name"]) for a in FREQUENCY_CATALOG}
    expected = duckdb_catalog_build
    if warehouse_run.target != "bigquery":
        expected = expected[[c for c in expected.columns if c not in only_bigquery]]
    _assert_catalog_equals_the_duckdb_build(warehouse_run, "catalog", catalogs[warehouse_run.target], expected)


def _assert_catalog_equals_the_duckdb_build(
    warehouse_run: WarehouseRun, catalog: str, attributes: object, expected: pd.DataFrame
) -> None:
    assert warehouse_run.load.returncode == 0, "loading the sample failed (see test_dbt_build_passes_on_the_emulator)"
    schema_var = "SNOWFLAKE_SCHEMA" if warehouse_run.target == "snowflake" else "BIGQUERY_DATASET"
    env = {**warehouse_run.env, schema_var: f"prospect_{catalog}"}
    dbt_vars = {
        "snowplow__atomic_schema": warehouse_run.env[schema_var],
        "snowplow__events_table": SAMPLE_SEED,
        "snowplow__attributes": attributes,
    }
    work = warehouse_run.work / f"catalog_{catalog}"
    start = time.monotonic()
    built = _dbt(warehouse_run.target, ["run", "-s", "+final_training", "--target", warehouse_run.target], work, env, dbt_vars)
    assert built.returncode == 0, _output(built)
    python = str(servers.venv_bin(warehouse_run.target, "python"))
    output = work / "final_training.parquet"
    dump = _run([python, str(DUMP), "--target", warehouse_run.target, "final_training", str(output)], env, TIMEOUT_FIT)
    assert dump.returncode == 0, _output(dump)
    print(f"{warehouse_run.target} {catalog}: dbt run + read back {time.monotonic() - start:.1f} s")
    actual = _normalised(pq.read_table(output))
    assert list(actual.columns) == list(expected.columns)
    assert len(actual) == len(expected) > 0
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False)
    # The SQL the emulator ran is valid for the real warehouse.
    checked = _check_compiled(warehouse_run.target, work / "target" / "compiled")
    assert checked.returncode == 0, _output(checked)


# ---------------------------------------------------------------------------- dbt seed


SMALL_SEED_ROWS = 40


def test_dbt_seed_of_a_small_sample_equals_the_bulk_load(warehouse_run: WarehouseRun, tmp_path: Path) -> None:
    """`dbt seed` still works on the emulator (what docs/warehouses.md tells users to run), and gives the
    table the bulk load gives: the first rows of the sample as a seed of a scratch project with the
    project's seed config, seeded into another schema, equal the same events of the loaded table."""
    assert warehouse_run.load.returncode == 0, "loading the sample failed (see test_dbt_build_passes_on_the_emulator)"
    project = tmp_path / "seed_project"
    (project / "seeds").mkdir(parents=True)
    lines = SAMPLE_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    (project / "seeds" / SAMPLE_SEED).with_suffix(".csv").write_text("".join(lines[: SMALL_SEED_ROWS + 1]), "utf-8")
    (project / "dbt_project.yml").write_text(
        "name: prospect_scoring\nversion: '1.0'\nprofile: prospect_scoring\nseeds:\n  prospect_scoring:\n"
        "    +quote_columns: false\n    snowplow_sample_events:\n      +column_types:\n"
        "        DERIVED_TSTAMP: timestamp\n"
        f"        DOMAIN_SESSIONIDX: {'int64' if warehouse_run.target == 'bigquery' else 'integer'}\n",
        "utf-8",
    )
    schema_var = "SNOWFLAKE_SCHEMA" if warehouse_run.target == "snowflake" else "BIGQUERY_DATASET"
    env = {**warehouse_run.env, schema_var: "prospect_seed"}
    dbt = str(servers.venv_bin(warehouse_run.target, "dbt"))
    seeded = _run([dbt, "seed", "--target", warehouse_run.target, "--project-dir", str(project),
                   "--profiles-dir", str(PROJECT_DIR)], env, TIMEOUT_DBT, cwd=project)
    assert seeded.returncode == 0, _output(seeded)
    python = str(servers.venv_bin(warehouse_run.target, "python"))
    frames = []
    for table_env, name in ((env, "seeded"), (warehouse_run.env, "loaded")):
        output = tmp_path / f"{name}.parquet"
        dump = _run([python, str(DUMP), "--target", warehouse_run.target, SAMPLE_SEED, str(output)], table_env, TIMEOUT_FIT)
        assert dump.returncode == 0, _output(dump)
        frames.append(_normalised(pq.read_table(output)))
    seeded_frame, loaded = frames
    assert len(seeded_frame) == SMALL_SEED_ROWS
    loaded = loaded[loaded["event_id"].isin(seeded_frame["event_id"])].reset_index(drop=True)
    assert list(loaded.columns) == list(seeded_frame.columns)
    pd.testing.assert_frame_equal(loaded, seeded_frame.reset_index(drop=True))


def test_prospect_scores_in_sql_equal_the_python_scores(warehouse_run: WarehouseRun) -> None:
    """dbt run -s prospect_scores with the fit's score_vars.yml: the SQL score is predict_proba (1e-9)."""
    import yaml

    from sql_scores_check import assert_sql_scores_match

    assert warehouse_run.fit is not None and warehouse_run.fit.returncode == 0, "fit.py failed (see above)"
    schema = warehouse_run.env["SNOWFLAKE_SCHEMA" if warehouse_run.target == "snowflake" else "BIGQUERY_DATASET"]
    score_vars = yaml.safe_load((warehouse_run.work / "artifacts" / "score_vars.yml").read_text())
    dbt_vars = {"snowplow__atomic_schema": schema, "snowplow__events_table": SAMPLE_SEED, **score_vars}
    run = _dbt(warehouse_run.target, ["run", "--target", warehouse_run.target, "-s", "prospect_scores"],
               warehouse_run.work, warehouse_run.env, dbt_vars)
    assert run.returncode == 0, _output(run)
    python = str(servers.venv_bin(warehouse_run.target, "python"))
    out = warehouse_run.work / "prospect_scores.parquet"
    dump = _run([python, str(DUMP), "--target", warehouse_run.target, "prospect_scores", str(out)],
                warehouse_run.env, TIMEOUT_FIT)
    assert dump.returncode == 0, _output(dump)
    assert_sql_scores_match(pq.read_table(out), warehouse_run.work / "artifacts", min_rows=100)
