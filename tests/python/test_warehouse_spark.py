"""The Spark target proven on a real local Spark (dbt-spark, method: session), and the
Databricks target checked by compilation (dbt-databricks, dummy credentials, no network:
the compiled SQL passes scripts/check_compiled_sql.py and sqlfluff, compiled_sql_lint.py).

Every Spark step runs in ONE process and JVM (scripts/emulators/spark_steps.py: dbt
through its programmatic API dbtRunner, so every invocation reuses the one SparkSession
and Derby metastore under a fresh SPARK_LOCAL_ROOT), one step after the other:

1. the generated nasty events (tests/python/nasty_events.py) and the catalog nasty
   events (every column the attribute catalogs read) loaded as tables by Spark itself;
2. the shipped sample loaded as a table with the types ``dbt seed`` gives it
   (scripts/emulators/load_table.py's inference), and ``dbt seed`` of a slice of it
   (the project's seed config in a scratch project: NULLs and quotes) into another
   schema, where seeding all of it took 33 s;
3. ``dbt build`` with the defaults (every model, data test and unit test);
4. ``dbt build`` with a non-default configuration (horizon 30 min, immature labels
   dropped, an app id with a quote and a backslash) on the nasty events;
5. ``dbt build`` (models and data tests) of the preset web_full (web_minimal and more) and of
   the catalog with every aggregation (tests/python/catalogs.py) on the catalog events;
6. every final_training and the loaded seed read back through the training step's
   reader, to Parquet;
7. ``train/fit.py --target spark`` (its reader stops the session, so it comes last).

Then: the sample's final_training equals the DuckDB build row for row, fit.py trains
on the same data fingerprint as on DuckDB, the nasty build and every catalog build equal
the brute-force implementation, and the seed kept its NULLs. The step timings are
printed. The reader tests at the end use fakes (no JVM, no network) and run in every suite.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import yaml

import bruteforce
import catalogs
import nasty_events
from compiled_sql_lint import assert_lint_clean
from dbt_harness import ALL_OPTIONS_VARS, PROJECT_DIR
from emulators import load_table, servers
from prospect_model.errors import TrainingError
from prospect_model.profiles import TargetConfig

warehouse = pytest.mark.warehouse

SETUP_SCRIPT = PROJECT_DIR / "scripts" / "emulators" / "setup.sh"
SPARK_STEPS = PROJECT_DIR / "scripts" / "emulators" / "spark_steps.py"
CHECKER = PROJECT_DIR / "scripts" / "check_compiled_sql.py"
SAMPLE = PROJECT_DIR / "seeds" / "snowplow_sample_events.csv"
SCHEMA = "prospect_ci"
NASTY_SCHEMA = "prospect_nasty"
CATALOG_SCHEMA = "prospect_catalog"
#: The attribute catalogs built on Spark over the catalog nasty data (the tutorial preset is the defaults build).
#: web_minimal is not built apart: web_full is web_minimal plus more attributes (macros/catalog/attribute_presets.sql).
SPARK_CATALOGS = ("web_full", "every_aggregation")
#: An app id that needs escaping in a Spark string literal (quote and backslash).
ODD_APP = "o'brien\\app"
SEED_SCHEMA = "prospect_seed"
SAMPLE_TABLE = "snowplow_sample_events"
SAMPLE_VARS = {"snowplow__atomic_schema": SCHEMA, "snowplow__events_table": SAMPLE_TABLE}
#: Rows of the sample that `dbt seed` loads on Spark: the first ones, and every one without a domain_userid.
SEED_SLICE_ROWS = 300
NASTY_VARS: dict[str, Any] = {
    "snowplow__atomic_schema": NASTY_SCHEMA,
    "snowplow__events_table": "nasty_events",
    "snowplow__app_ids": ["website", ODD_APP],
    "snowplow__horizon_seconds": 1800,
    "snowplow__drop_immature_labels": True,
}
ALLOWED_WARNINGS: set[str] = set()
TIMEOUT_SETUP = 2400
TIMEOUT_STEP = 900


def _base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SNOWFLAKE_", "BIGQUERY_", "DATABRICKS_", "SPARK_", "DBT_"))}
    env.update(DBT_SEND_ANONYMOUS_USAGE_STATS="false", DO_NOT_TRACK="1", PYTHONWARNINGS="ignore",
               PYTHONPATH=str(PROJECT_DIR / "train"))
    return env


def _run(command: Sequence[str], env: Mapping[str, str], timeout: int = TIMEOUT_STEP) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["timeout", "--kill-after=10", str(timeout), *command], cwd=PROJECT_DIR, env=dict(env),
                          text=True, capture_output=True, timeout=timeout + 30)


def _output(result: subprocess.CompletedProcess[str], limit: int = 6000) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout[-limit:]}\n--- stderr\n{result.stderr[-3000:]}"


def _check_compiled(dialect: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, str(CHECKER), "--dialect", dialect, *map(str, paths)], _base_env(), 300)


def _normalised(table: pa.Table) -> pd.DataFrame:
    """final_training in a warehouse-independent form: lower-case names, naive UTC timestamps, sorted."""
    frame = table.rename_columns([name.lower() for name in table.column_names]).to_pandas()
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


def _assert_build_passed(entry: dict[str, Any], work: Path, what: str,
                         kinds: tuple[str, ...] = ("model", "test", "unit_test")) -> None:
    """The dbt invocation succeeded and ran every node of the project of these resource types."""
    assert entry["ok"], f"{what} failed: {entry['detail']}\n{entry['output'][-6000:]}"
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    results = {r["unique_id"]: r for r in json.loads((work / "target" / "run_results.json").read_text())["results"]}
    bad = {uid: r["status"] for uid, r in results.items() if r["status"] not in ("success", "pass", "warn")}
    assert not bad, f"{what}: not passed: {bad}"
    warned = {uid.split(".")[2] for uid, r in results.items() if r["status"] == "warn"}
    assert warned <= ALLOWED_WARNINGS, f"{what}: unexpected warnings: {warned - ALLOWED_WARNINGS}"
    wanted = (set(manifest["unit_tests"]) if "unit_test" in kinds else set()) | {
        uid for uid, n in manifest["nodes"].items()
        if n["resource_type"] in kinds and n["config"].get("enabled", True)}  # prospect_scores: off without a model
    assert wanted and wanted <= set(results), f"{what}: not run: {sorted(wanted - set(results))[:10]}"


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def spark_venvs() -> None:
    """Create (or confirm) .venv-spark and .venv-databricks (scripts/emulators/setup.sh)."""
    result = _run(["bash", str(SETUP_SCRIPT), "spark", "databricks"], _base_env(), TIMEOUT_SETUP)
    assert result.returncode == 0, f"scripts/emulators/setup.sh failed:\n{_output(result)}"


@dataclasses.dataclass
class SparkRun:
    work: Path
    env: dict[str, str]
    nasty_rows: list[dict[str, Any]]
    catalog_rows: list[dict[str, Any]]
    result: subprocess.CompletedProcess[str] | None = None
    steps: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)

    def step(self, name: str) -> dict[str, Any]:
        """The report entry of a step of spark_steps.py ({name, ok, seconds, detail}), and its output."""
        assert name in self.steps, (f"step '{name}' did not run: an earlier step failed ({', '.join(self.steps)} ran)\n"
                                    + (_output(self.result) if self.result is not None else ""))
        return self.steps[name]

    def ok(self, name: str) -> dict[str, Any]:
        entry = self.step(name)
        assert entry["ok"], f"{name} failed: {entry['detail']}\n{entry['output'][-6000:]}"
        return entry


def _step_outputs(stdout: str) -> dict[str, str]:
    """The output of each step, from spark_steps.py's ``=== step <name>`` lines."""
    outputs: dict[str, list[str]] = {}
    current: list[str] = []
    for line in stdout.splitlines():
        if line.startswith("=== step "):
            current = outputs.setdefault(line[len("=== step "):], [])
        elif line == "=== end":
            current = []
        else:
            current.append(line)
    return {name: "\n".join(lines) for name, lines in outputs.items()}


def _nasty_rows() -> list[dict[str, Any]]:
    """The nasty events of the DuckDB semantics test, plus events of an app id that needs escaping."""
    rows = nasty_events.mixed_rows() + nasty_events.clean_rows()
    t0 = nasty_events.T0
    rows += [
        {"app_id": ODD_APP, "derived_tstamp": t0, "event_id": "odd-app-pv", "domain_userid": "edge-odd-app",
         "event_name": "page_view", "page_url": "https://www.example.com/pricing?q=it's\\here"},
        {"app_id": ODD_APP, "derived_tstamp": t0 + dt.timedelta(minutes=10), "event_id": "odd-app-conv",
         "domain_userid": "edge-odd-app", "event_name": "submit_form", "page_url": None},
        {"app_id": "o'brien", "derived_tstamp": t0, "event_id": "almost-odd-app", "domain_userid": "edge-odd-app",
         "event_name": "page_view", "page_url": None},
    ]
    return rows


def _dbt_step(name: str, args: list[str], work: Path, dbt_vars: Mapping[str, Any], schema: str,
              project: Path = PROJECT_DIR) -> dict[str, Any]:
    """A dbt invocation of the plan of spark_steps.py (in its process: the JVM is shared)."""
    return {"name": name, "env": {"SPARK_SCHEMA": schema},
            "dbt": [*args, "--target", "spark", "--project-dir", str(project), "--profiles-dir", str(PROJECT_DIR),
                    "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
                    "--vars", json.dumps(dict(dbt_vars))]}


def _sample_rows() -> tuple[list[str], list[list[str]]]:
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _sample_as_seeded() -> pa.Table:
    """The sample with the column types `dbt seed` gives it on Spark (load_table.column_kinds: the project's
    column_types, agate's inference for the rest; empty fields are NULL)."""
    header, rows = _sample_rows()
    types = {"timestamp": pa.timestamp("us"), "integer": pa.int32(), "boolean": pa.bool_(), "text": pa.string()}
    kinds = load_table.column_kinds(header, rows)
    columns = {}
    for index, (name, kind) in enumerate(zip(header, kinds, strict=True)):
        values = pa.array([row[index] if row[index] != "" else None for row in rows], pa.string())
        columns[name] = values.cast(types[kind]) if kind != "boolean" else pa.array(
            [None if v is None else v.lower() == "true" for v in values.to_pylist()], pa.bool_())
    return pa.table(columns)


def _seed_slice_project(project: Path) -> Path:
    """A scratch dbt project (the name, profile, seed config and Spark seed loader of this one) whose seed is a
    slice of the sample: its first SEED_SLICE_ROWS rows and every row without a domain_userid."""
    header, rows = _sample_rows()
    user = [name.lower() for name in header].index("domain_userid")
    kept = [row for index, row in enumerate(rows) if index < SEED_SLICE_ROWS or row[user] == ""]
    (project / "seeds").mkdir(parents=True)
    with (project / "seeds" / f"{SAMPLE_TABLE}.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *kept])
    # The project's seed loader (macros/seeds/spark__load_csv_rows.sql: NULLs as NULL, not 'None') with it.
    (project / "macros").mkdir()
    (project / "macros" / "spark__load_csv_rows.sql").symlink_to(PROJECT_DIR / "macros" / "seeds" / "spark__load_csv_rows.sql")
    seeds = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["seeds"]
    (project / "dbt_project.yml").write_text(yaml.safe_dump(
        {"name": "prospect_scoring", "version": "1.0", "profile": "prospect_scoring", "seeds": seeds}))
    return project


def _catalog_vars(name: str) -> dict[str, Any]:
    return {"snowplow__atomic_schema": CATALOG_SCHEMA, "snowplow__events_table": "catalog_events",
            "snowplow__attributes": catalogs.attributes_var(name)}


@pytest.fixture(scope="module")
def spark_run(spark_venvs: None, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[SparkRun]:
    """Every Spark step in ONE process and JVM (scripts/emulators/spark_steps.py), stopping at the first failure."""
    work = tmp_path_factory.mktemp("spark")
    env = {**_base_env(), "SPARK_LOCAL_ROOT": str(work / "spark"), "SPARK_SCHEMA": SCHEMA}
    run = SparkRun(work, env, _nasty_rows(), nasty_events.catalog_rows())
    nasty_file, catalog_file = work / "nasty_events.parquet", work / "catalog_events.parquet"
    pq.write_table(nasty_events.to_table(run.nasty_rows, upper=False), nasty_file)
    pq.write_table(nasty_events.to_catalog_table(run.catalog_rows), catalog_file)
    sample_file = work / "sample_events.parquet"
    pq.write_table(_sample_as_seeded(), sample_file)
    seed_project = _seed_slice_project(work / "seed_project")
    dumps = [[SCHEMA, "final_training", str(work / "final_training.parquet")],
             [SEED_SCHEMA, SAMPLE_TABLE, str(work / "seed.parquet")],
             [NASTY_SCHEMA, "final_training", str(work / "nasty_final_training.parquet")],
             [SCHEMA, "no_such_table", str(work / "missing.parquet")]]
    steps: list[dict[str, Any]] = [
        {"name": "load events", "load": [[NASTY_SCHEMA, "nasty_events", str(nasty_file)],
                                         [CATALOG_SCHEMA, "catalog_events", str(catalog_file)],
                                         [SCHEMA, SAMPLE_TABLE, str(sample_file)]]},
        _dbt_step("dbt seed", ["seed"], work / "seed", SAMPLE_VARS, SEED_SCHEMA, project=seed_project),
        # The sample is loaded already (as the seed would load it): the seed is not rebuilt.
        _dbt_step("dbt build (defaults)", ["build", "--exclude", "resource_type:seed"], work / "default", SAMPLE_VARS,
                  SCHEMA),
        _dbt_step("dbt build (non-default vars, nasty events)", ["build"], work / "nasty", NASTY_VARS, NASTY_SCHEMA),
    ]
    for name in SPARK_CATALOGS:
        schema = f"prospect_cat_{name}"
        steps.append(_dbt_step(f"dbt build (catalog {name})", ["build", "--exclude-resource-type", "unit_test"],
                               work / f"catalog_{name}", _catalog_vars(name), schema))
        dumps += [[schema, "final_training", str(work / f"catalog_{name}.parquet")],
                  [schema, "final_training_columns", str(work / f"catalog_{name}_columns.parquet")]]
    steps += [{"name": "read back", "dump": dumps},
              {"name": "fit.py --target spark", "fit": ["--target", "spark", "--output-dir", str(work / "artifacts")]}]
    plan = work / "plan.json"
    plan.write_text(json.dumps({"report": str(work / "report.json"), "steps": steps}))
    start = time.monotonic()
    run.result = _run([str(servers.venv_bin("spark", "python")), str(SPARK_STEPS), str(plan)], env, TIMEOUT_STEP)
    elapsed = time.monotonic() - start
    outputs = _step_outputs(run.result.stdout)
    if (work / "report.json").is_file():
        for entry in json.loads((work / "report.json").read_text()):
            run.steps[entry["name"]] = {**entry, "output": outputs.get(entry["name"], "")}
    line = ("Spark steps (one JVM): " + ", ".join(f"{k} {v['seconds']:.1f} s" for k, v in run.steps.items())
            + f"; process {elapsed:.1f} s")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(line)
    yield run


@pytest.fixture(scope="module")
def duckdb_reference(sample_build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """final_training of the DuckDB build of the sample (conftest's sample_build) and its fit's data fingerprint."""
    work = tmp_path_factory.mktemp("spark_duckdb_reference")
    with duckdb.connect(str(sample_build.db_path), read_only=True) as con:
        table = con.sql("select * from main.final_training").to_arrow_table()
    env = {**_base_env(), "DBT_DUCKDB_PATH": str(sample_build.db_path)}
    fit = _run([sys.executable, "train/fit.py", "--target", "duckdb", "--output-dir", str(work / "artifacts")], env, 300)
    assert fit.returncode == 0, _output(fit)
    metadata = json.loads((work / "artifacts" / "metadata.json").read_text())
    return {"final_training": _normalised(table), "fingerprint": metadata["data_fingerprint"]}


# ---------------------------------------------------------------------------- local Spark


@warehouse
def test_dbt_build_with_the_defaults_passes_on_spark(spark_run: SparkRun) -> None:
    """dbt seed, then dbt build (every model, data test and unit test) on the shipped sample."""
    _assert_build_passed(spark_run.step("dbt seed"), spark_run.work / "seed", "dbt seed", ("seed",))
    _assert_build_passed(spark_run.step("dbt build (defaults)"), spark_run.work / "default", "dbt build (defaults)")


@warehouse
def test_dbt_build_with_non_default_vars_passes_on_spark(spark_run: SparkRun) -> None:
    """dbt build (every model, data test and unit test) with another horizon, dropped immature labels and an odd app id."""
    _assert_build_passed(spark_run.step("dbt build (non-default vars, nasty events)"), spark_run.work / "nasty",
                         "dbt build (non-default vars)")


@warehouse
def test_seed_keeps_nulls_and_values(spark_run: SparkRun) -> None:
    """dbt seed on Spark loads the sample exactly (a slice of it, with the project's seed config): an empty CSV
    cell is NULL, not the string 'None'; and it gives the types of the table the other steps load."""
    spark_run.ok("read back")
    loaded = pq.read_table(spark_run.work / "seed.parquet")
    loaded = loaded.rename_columns([n.upper() for n in loaded.column_names])
    seeded_types = {field.name: field.type for field in loaded.schema}
    as_loaded = pq.read_table(spark_run.work / "sample_events.parquet")  # what the load step loaded
    assert seeded_types == {name.upper(): (pa.timestamp("us", tz="UTC") if pa.types.is_timestamp(t) else t)
                            for name, t in zip(as_loaded.column_names, as_loaded.schema.types, strict=True)}, seeded_types
    slice_csv = spark_run.work / "seed_project" / "seeds" / f"{SAMPLE_TABLE}.csv"
    expected = pacsv.read_csv(slice_csv, convert_options=pacsv.ConvertOptions(
        column_types={n: pa.string() for n in loaded.column_names}, strings_can_be_null=True))
    user = loaded.column("DOMAIN_USERID").to_pylist()
    assert "None" not in user
    assert user.count(None) == expected.column("DOMAIN_USERID").null_count > 0
    assert loaded.num_rows == expected.num_rows

    def text_rows(table: pa.Table) -> list[tuple[Any, ...]]:
        frame = table.select(["EVENT_ID", "DOMAIN_USERID", "PAGE_URL", "APP_ID", "EVENT_NAME"]).to_pandas()
        return sorted(frame.itertuples(index=False, name=None), key=lambda r: tuple("" if v is None else v for v in r))

    assert text_rows(loaded) == text_rows(expected)


@warehouse
def test_final_training_equals_the_duckdb_build(spark_run: SparkRun, duckdb_reference: dict[str, Any]) -> None:
    spark_run.ok("read back")
    actual = _normalised(pq.read_table(spark_run.work / "final_training.parquet"))
    expected = duckdb_reference["final_training"]
    assert list(actual.columns) == list(expected.columns)
    assert len(actual) == len(expected) > 0
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False)


@warehouse
def test_fit_trains_on_spark_with_the_duckdb_fingerprint(spark_run: SparkRun, duckdb_reference: dict[str, Any]) -> None:
    spark_run.ok("fit.py --target spark")
    metadata = json.loads((spark_run.work / "artifacts" / "metadata.json").read_text())
    assert (spark_run.work / "artifacts" / "model.joblib").is_file()
    assert "spark" in metadata["data_source"].lower()
    assert metadata["data_fingerprint"] == duckdb_reference["fingerprint"]


@warehouse
def test_nasty_data_equals_brute_force_on_spark(spark_run: SparkRun) -> None:
    """The non-default build of the nasty events equals the brute-force implementation."""
    spark_run.ok("read back")
    staged = bruteforce.stage(spark_run.nasty_rows, app_ids=NASTY_VARS["snowplow__app_ids"])
    expected = {}
    for event_id, row in bruteforce.final_training(staged, horizon=NASTY_VARS["snowplow__horizon_seconds"]).items():
        if row["is_label_mature"]:
            expected[event_id] = row
    frame = _normalised(pq.read_table(spark_run.work / "nasty_final_training.parquet"))
    actual = {}
    for record in frame.to_dict("records"):
        event_id = record.pop("event_id")
        record["derived_tstamp"] = record["derived_tstamp"].to_pydatetime()
        actual[event_id] = {k: (v.item() if hasattr(v, "item") else v) for k, v in record.items()}
    assert "odd-app-pv" in expected and "almost-odd-app" not in expected
    assert set(actual) == set(expected), (
        f"missing: {sorted(set(expected) - set(actual))[:10]}, extra: {sorted(set(actual) - set(expected))[:10]}")
    mismatches = [(k, actual[k], expected[k]) for k in expected if actual[k] != expected[k]]
    assert not mismatches, f"{len(mismatches)} rows differ, e.g. {mismatches[:3]}"


def _catalog_rows_by_event_id(path: Path) -> dict[str, dict[str, Any]]:
    frame = _normalised(pq.read_table(path))
    out = {}
    for record in frame.to_dict("records"):
        event_id = record.pop("event_id")
        out[event_id] = {k: _plain(v) for k, v in record.items()}
    return out


def _plain(value: Any) -> Any:
    """A value of the data frame as plain Python (NaN and NaT: None)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


@warehouse
@pytest.mark.parametrize("name", SPARK_CATALOGS)
def test_attribute_catalog_equals_brute_force_on_spark(name: str, spark_run: SparkRun) -> None:
    """final_training of a preset / the every-aggregation catalog, built on Spark, equals the brute-force oracle.

    The presets' definitions are read back from final_training_columns.signals_definition;
    test_attribute_catalog.py proves the DuckDB build of the same data equal to the same oracle.
    """
    _assert_build_passed(spark_run.step(f"dbt build (catalog {name})"), spark_run.work / f"catalog_{name}",
                         f"dbt build (catalog {name})", ("model", "test"))
    spark_run.ok("read back")
    contract = pq.read_table(spark_run.work / f"catalog_{name}_columns.parquet").to_pandas()
    contract = contract[contract["column_role"] == "feature"].sort_values("ordinal")
    definitions = [json.loads(d) for d in contract["signals_definition"]]
    attributes = catalogs.definitions(name, definitions)
    assert [a["name"] for a in definitions] == [a["name"] for a in attributes] and attributes
    if name == "every_aggregation":
        assert {a["aggregation"] for a in attributes} == catalogs.AGGREGATIONS
    expected = bruteforce.final_training(bruteforce.stage(spark_run.catalog_rows, attributes=attributes),
                                         attributes=attributes)
    actual = _catalog_rows_by_event_id(spark_run.work / f"catalog_{name}.parquet")
    assert set(actual) == set(expected), (
        f"missing: {sorted(set(expected) - set(actual))[:10]}, extra: {sorted(set(actual) - set(expected))[:10]}")
    columns = list(next(iter(expected.values())))
    assert set(columns) <= set(next(iter(actual.values())))
    mismatches = [(event_id, column, actual[event_id][column], expected[event_id][column])
                  for event_id in sorted(expected) for column in columns
                  if not bruteforce.values_equal(actual[event_id][column], expected[event_id][column])]
    by_column: dict[str, int] = {}
    for _, column, _, _ in mismatches:
        by_column[column] = by_column.get(column, 0) + 1
    assert not mismatches, (f"{len(mismatches)} values differ, per column {by_column}; "
                            f"(event_id, column, built, brute force), e.g. {mismatches[:8]}")


@warehouse
def test_reader_reports_a_missing_table_in_one_line(spark_run: SparkRun) -> None:
    output = spark_run.ok("read back")["output"]
    lines = [line for line in output.splitlines() if line.startswith("missing: ")]
    assert lines == [f"missing: table {SCHEMA}.no_such_table not found in local Spark "
                     f"(warehouse {spark_run.env['SPARK_LOCAL_ROOT']}/warehouse) (dbt target 'spark', type spark); "
                     "run `dbt build` first"], output


@warehouse
def test_nothing_is_written_outside_the_local_root(spark_run: SparkRun) -> None:
    """Warehouse, metastore and Derby's log live under SPARK_LOCAL_ROOT; none in the project directory."""
    spark_run.ok("fit.py --target spark")
    root = Path(spark_run.env["SPARK_LOCAL_ROOT"])
    assert (root / "metastore_db").is_dir() and (root / "warehouse").is_dir()
    for stray in ("metastore_db", "spark-warehouse", "derby.log"):
        assert not (PROJECT_DIR / stray).exists(), f"{stray} was written in the project directory"


@warehouse
def test_compiled_sql_of_the_spark_build_passes_the_check(spark_run: SparkRun) -> None:
    """The SQL of every Spark build (defaults, non-default vars, every catalog) passes the compiled-SQL checker."""
    spark_run.step(f"dbt build (catalog {SPARK_CATALOGS[-1]})")
    result = _check_compiled("spark", spark_run.work / "default" / "target" / "compiled",
                             spark_run.work / "nasty" / "target" / "compiled",
                             *(spark_run.work / f"catalog_{name}" / "target" / "compiled" for name in SPARK_CATALOGS))
    assert result.returncode == 0, _output(result)


# ---------------------------------------------------------------------------- Databricks, no network


def _databricks_env(**overrides: str) -> dict[str, str]:
    """Dummy credentials of a workspace on a closed local port: any connection attempt fails at once."""
    env = {**_base_env(), "DATABRICKS_HOST": f"127.0.0.1:{servers.free_port()}",
           "DATABRICKS_HTTP_PATH": "/sql/1.0/warehouses/0123456789abcdef", "DATABRICKS_TOKEN": "dapi-dummy",
           "DATABRICKS_CATALOG": "prospect_ci", "DATABRICKS_SCHEMA": "prospect_scoring"}
    env.update(overrides)
    return env


@warehouse
def test_databricks_compiles_with_dummy_credentials_and_the_sql_passes(spark_venvs: None, tmp_path: Path) -> None:
    """dbt compile --target databricks (the defaults, every option, every aggregation with a score model) needs no
    workspace; the SQL dispatches to the spark__ forms, passes the checker and sqlfluff."""
    variants = {
        "default": None,
        "all_options": {**ALL_OPTIONS_VARS, "snowplow__app_ids": ["website", ODD_APP]},
        # With a score model: prospect_scores and its test (spark__dateadd, instant_after) are compiled too.
        "every_aggregation": {"snowplow__attributes": catalogs.EVERY_AGGREGATION,
                              "snowplow__score_model": catalogs.EVERY_AGGREGATION_SCORE_MODEL},
    }
    # Every compile in one process (dbtRunner): one interpreter and dbt start-up instead of three.
    invocations = [["compile", "--no-populate-cache", "--target", "databricks", "--project-dir", str(PROJECT_DIR),
                    "--profiles-dir", str(PROJECT_DIR), "--target-path", str(tmp_path / name / "target"),
                    "--log-path", str(tmp_path / name / "logs"), *(["--vars", json.dumps(v)] if v else [])]
                   for name, v in variants.items()]
    script = ("import json, sys\nfrom dbt.cli.main import dbtRunner\n"
              "for args in json.loads(sys.argv[1]):\n"
              "    if not dbtRunner().invoke(args).success:\n"
              "        sys.exit(f'dbt {\" \".join(args)} failed')\n")
    result = _run([str(servers.venv_bin("databricks", "python")), "-c", script, json.dumps(invocations)],
                  _databricks_env())
    assert result.returncode == 0, f"dbt compile --target databricks failed:\n{_output(result)}"
    compiled = [tmp_path / name / "target" / "compiled" for name in variants]
    staged = (compiled[0] / "prospect_scoring" / "models" / "staging" / "snowplow" / "base" / "base_snowplow__events_flagged.sql").read_text()
    assert "`prospect_ci`.`atomic`.`events`" in staged or "prospect_ci.atomic.events" in staged, staged
    assert "'o\\'brien\\\\app'" in (compiled[1] / "prospect_scoring" / "models" / "staging" / "snowplow" / "base"
                                   / "base_snowplow__events_flagged.sql").read_text()
    # The catalog's first/last, frequency and distinct counts dispatch to the spark__ forms on Databricks.
    features = (compiled[2] / "prospect_scoring" / "models" / "intermediate" / "int_prospect__features_as_of_event.sql")
    assert all(f in features.read_text() for f in ("min_by(", "max_by(", "collect_list(", "collect_set(")), features
    result = _check_compiled("databricks", *compiled)
    assert result.returncode == 0, _output(result)
    # And sqlfluff passes in the Databricks dialect (Spark SQL's, extended): the spark__ macros, which `make lint`
    # on DuckDB never renders (compiled_sql_lint.py).
    seconds = assert_lint_clean("databricks", *compiled)
    print(f"sqlfluff (databricks): {seconds:.1f} s")


@warehouse
def test_fit_reports_an_unreachable_databricks_workspace_in_one_line(spark_venvs: None, tmp_path: Path) -> None:
    python = str(servers.venv_bin("databricks", "python"))
    start = time.monotonic()
    result = _run([python, "train/fit.py", "--target", "databricks", "--output-dir", str(tmp_path / "out")],
                  _databricks_env(), 300)
    assert result.returncode == 2, _output(result)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: cannot connect to Databricks workspace 127.0.0.1:"), _output(result)
    assert time.monotonic() - start < 120


def test_fit_reports_a_missing_databricks_credential_in_one_line(tmp_path: Path) -> None:
    env = _databricks_env()
    del env["DATABRICKS_TOKEN"]
    result = _run([sys.executable, "train/fit.py", "--target", "databricks", "--output-dir", str(tmp_path / "out")], env, 300)
    assert result.returncode == 2, _output(result)
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: ") and "DATABRICKS_TOKEN" in lines[-1], _output(result)


# ---------------------------------------------------------------------------- readers, with fakes


def _target(target_type: str, **settings: Any) -> TargetConfig:
    return TargetConfig(profile_name="prospect_scoring", target_name=target_type, type=target_type,
                        settings=settings, project_dir=PROJECT_DIR, profiles_path=PROJECT_DIR / "profiles.yml")


class _FakeFrame:
    def __init__(self, table: pa.Table) -> None:
        self.table = table

    def toArrow(self) -> pa.Table:  # noqa: N802 - PySpark's name
        return self.table


class _FakeSpark:
    """A SparkSession stand-in: knows one table, raises Spark's not-found error for others."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def sql(self, query: str) -> _FakeFrame:
        self.queries.append(query)
        if "`final_training`" not in query:
            raise RuntimeError("[TABLE_OR_VIEW_NOT_FOUND] The table or view `s`.`x` cannot be found.\nplan ...")
        return _FakeFrame(pa.table({"a": [1]}))

    def stop(self) -> None:
        pass


def test_spark_reader_missing_table_and_sql() -> None:
    from prospect_model.spark_reader import SparkReader

    spark = _FakeSpark()
    reader = SparkReader(_target("spark", method="session", schema="s", server_side_parameters={
        "spark.sql.warehouse.dir": "/w"}), session=spark)
    assert reader.table_schema("nope") is None
    with pytest.raises(TrainingError) as error:
        reader.read_table("nope")
    assert str(error.value) == ("table s.nope not found in local Spark (warehouse /w) (dbt target 'spark', type spark); "
                                "run `dbt build` first")
    reader.read_table("final_training", ["domain_userid", "x"], where_true="m", order_by=["x"], key_columns=["domain_userid"])
    assert spark.queries[-1] == ("select case when `domain_userid` is null then null else xxhash64(`domain_userid`) end "
                                 "as `domain_userid`, `x` from `s`.`final_training` where `m` is true order by `x`")


def test_spark_reader_other_error_is_one_line() -> None:
    from prospect_model.spark_reader import SparkReader

    class Broken(_FakeSpark):
        def sql(self, query: str) -> _FakeFrame:
            raise RuntimeError("[DIVIDE_BY_ZERO] Division by zero.\n== SQL ==\nselect ...")

    reader = SparkReader(_target("spark", method="session", schema="s", server_side_parameters={}), session=Broken())
    with pytest.raises(TrainingError, match=r"^reading s.t from local Spark .* failed: \[DIVIDE_BY_ZERO\] Division by zero.$"):
        reader.read_table("t")


def test_spark_reader_refuses_remote_methods() -> None:
    from prospect_model.spark_reader import SparkReader

    with pytest.raises(TrainingError, match="method 'session'"):
        SparkReader(_target("spark", method="thrift", schema="s", host="h"), session=_FakeSpark())


class _FakeDatabricksError(Exception):
    pass


class _FakeCursor:
    """Records each query in ``queries``; fails with ``fail`` (a connector error's text, or any exception)."""

    def __init__(self, fail: str | Exception | None, queries: list[str]) -> None:
        self.fail, self.queries = fail, queries

    def __enter__(self) -> _FakeCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def execute(self, sql: str) -> None:
        self.queries.append(sql)
        if isinstance(self.fail, Exception):
            raise self.fail
        if self.fail:
            raise _FakeDatabricksError(self.fail)

    def fetchall_arrow(self) -> pa.Table:
        return pa.table({"a": [1]})


class _FakeConnector:
    """databricks.sql stand-in: ``connect`` fails or returns a connection whose queries fail with ``fail``."""

    def __init__(self, connect_error: Exception | None = None, fail: str | Exception | None = None) -> None:
        self.connect_error, self.fail, self.params = connect_error, fail, {}
        self.queries: list[str] = []

    def connect(self, **params: Any) -> Any:
        self.params = params
        if self.connect_error is not None:
            raise self.connect_error
        fail, queries = self.fail, self.queries
        return type("Con", (), {"cursor": lambda self: _FakeCursor(fail, queries), "close": lambda self: None})()


DATABRICKS_SETTINGS = {"host": "https://adb-1.azuredatabricks.net/", "http_path": "/sql/1.0/warehouses/x",
                       "token": "dapi", "catalog": "main", "schema": "prospect_scoring"}


def test_databricks_reader_missing_table(monkeypatch: pytest.MonkeyPatch) -> None:
    from prospect_model import databricks_reader

    fake = _FakeConnector(fail="[TABLE_OR_VIEW_NOT_FOUND] The table or view `main`.`prospect_scoring`.`nope` cannot be found.\n...")
    monkeypatch.setattr(databricks_reader, "_import_connector", lambda: fake)
    reader = databricks_reader.DatabricksReader(_target("databricks", **DATABRICKS_SETTINGS))
    assert fake.params["server_hostname"] == "adb-1.azuredatabricks.net" and fake.params["catalog"] == "main"
    assert fake.params["_retry_stop_after_attempts_count"] == 1
    assert reader.table_schema("nope") is None
    with pytest.raises(TrainingError, match=r"^table main.prospect_scoring.nope not found in Databricks workspace "
                                            r"adb-1.azuredatabricks.net, catalog main .*run `dbt build` first$"):
        reader.read_table("nope")


def test_databricks_reader_sql(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spark SQL's dialect (backticks, xxhash64 keys, `is true`) on catalog.schema.table."""
    from prospect_model import databricks_reader

    fake = _FakeConnector()
    monkeypatch.setattr(databricks_reader, "_import_connector", lambda: fake)
    reader = databricks_reader.DatabricksReader(_target("databricks", **DATABRICKS_SETTINGS))
    table = reader.read_table("final_training", ["domain_userid", "x"], where_true="m", order_by=["x"],
                              key_columns=["domain_userid"])
    assert table.num_rows == 1
    assert fake.queries == [
        "select case when `domain_userid` is null then null else xxhash64(`domain_userid`) end as `domain_userid`, "
        "`x` from `main`.`prospect_scoring`.`final_training` where `m` is true order by `x`"]


@pytest.mark.parametrize("fail", ["[DIVIDE_BY_ZERO] Division by zero.\n== SQL ==\nselect ...",
                                  TimeoutError("The read operation timed out\nretrying ...")],
                         ids=["connector-error", "network-error"])
def test_databricks_reader_other_error_is_one_line(fail: str | Exception, monkeypatch: pytest.MonkeyPatch) -> None:
    """A query error that is not a missing table, from the connector or the network, is one line."""
    from prospect_model import databricks_reader

    fake = _FakeConnector(fail=fail)
    monkeypatch.setattr(databricks_reader, "_import_connector", lambda: fake)
    reader = databricks_reader.DatabricksReader(_target("databricks", **DATABRICKS_SETTINGS))
    with pytest.raises(TrainingError) as error:
        reader.read_table("t")
    first = str(fail).splitlines()[0]
    assert str(error.value) == ("reading main.prospect_scoring.t from Databricks workspace adb-1.azuredatabricks.net, "
                                f"catalog main (dbt target 'databricks', type databricks) failed: {first}")


def test_databricks_reader_unreachable_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    from prospect_model import databricks_reader

    fake = _FakeConnector(connect_error=OSError("[Errno 111] Connection refused\nretrying ..."))
    monkeypatch.setattr(databricks_reader, "_import_connector", lambda: fake)
    with pytest.raises(TrainingError) as error:
        databricks_reader.DatabricksReader(_target("databricks", **{**DATABRICKS_SETTINGS, "host": "127.0.0.1:9"}))
    assert str(error.value) == ("cannot connect to Databricks workspace 127.0.0.1:9 (dbt target 'databricks', "
                                "type databricks): [Errno 111] Connection refused")
    assert fake.params["_port"] == 9


def test_databricks_reader_missing_credential() -> None:
    from prospect_model.databricks_reader import DatabricksReader

    with pytest.raises(TrainingError, match=r"lacks host, token \(set the DATABRICKS_\* environment variables"):
        DatabricksReader(_target("databricks", **{**DATABRICKS_SETTINGS, "host": "", "token": " "}))
