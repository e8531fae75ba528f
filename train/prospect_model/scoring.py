"""Batch scores of the current prospects: ``prospect-score``.

Scores, with any trained model (``logreg`` or ``hgb``), every visitor who

* is in the training population (``int_prospect__visitors.is_eligible``: the
  cohort and automated-activity filters of ``final_training``),
* has not converted (``first_conversion_tstamp`` is null), and
* was active in the last ``--active-days`` days of the observed data (their last
  event at or after ``data end - N days``; the end of the observed data is
  ``data_end_tstamp`` of ``int_prospect__targets_as_of_event``, not the wall
  clock, so a rebuild of the same data scores the same visitors),

and writes one row per visitor (``domain_userid``, ``score``, ``is_prospect`` at
the model's threshold, the inputs, the model's version) to a DuckDB table of the
target's database (``--output-table``, replaced in one transaction) or to a
Parquet file (``--output-parquet``, temp file + rename; the way for Snowflake and
BigQuery targets).

**Attribute values.** The features are those of the visitor's *last*
``final_training`` row (the dbt model ``prospect_scores`` has the attributes as of
the end of the observed data and, for logreg, the score in SQL): as of that event, i.e. counting
the visitor's events strictly before it. The last event itself is not counted
(Signals, at request time, would count it), so these scores can lag one event
behind. The inputs are converted exactly as training converts ``final_training``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .cli_support import OneLineParser, UsageError, configure_logging, run_reported
from .contract import FeatureSpec, load_feature_spec
from .errors import EXIT_BAD_INPUT, TrainingError
from .metadata import utc_now
from .profiles import TargetConfig, resolve_target
from .readers import TableReader, open_reader
from .reading import _feature_values, column_resolver
from .serving import DEFAULT_MODEL_DIR, MODEL_DIR_ENV, ServingError, ServingModel

log = logging.getLogger("prospect_model.scoring")  # not __name__: also under python -m

DEFAULT_TABLE = "final_training"
VISITORS_TABLE = "int_prospect__visitors"
EVENTS_TABLE = "int_prospect__targets_as_of_event"
DEFAULT_OUTPUT_TABLE = "prospect_scores_python"
DEFAULT_ACTIVE_DAYS = 30
MAX_ACTIVE_DAYS = 3650


@dataclass
class ScoringOptions:
    """Inputs of one batch scoring run (the command-line options)."""

    model_dir: str | os.PathLike[str] = DEFAULT_MODEL_DIR
    target: str | None = None
    profiles_dir: str | os.PathLike[str] | None = None
    project_dir: str | os.PathLike[str] | None = None
    table: str = DEFAULT_TABLE
    active_days: float = DEFAULT_ACTIVE_DAYS
    output_table: str | None = DEFAULT_OUTPUT_TABLE
    output_parquet: str | os.PathLike[str] | None = None


# --------------------------------------------------------------------------- reading


def _require(reader: TableReader, table: str, columns: Sequence[str]) -> list[str]:
    schema = reader.table_schema(table)
    if schema is None:
        raise TrainingError(
            f"table {reader.qualified_name(table)} not found in {reader.location()}; run `dbt build` first"
        )
    actual = column_resolver(schema.names)
    missing = [c for c in columns if actual(c) is None]
    if missing:
        raise TrainingError(
            f"table {reader.qualified_name(table)} lacks columns {', '.join(missing)}; run `dbt build` again"
        )
    return [actual(c) or c for c in columns]


def _timestamps_us(column: pa.ChunkedArray) -> np.ndarray:
    """Microseconds since the epoch (naive UTC), NaT-free int64 with nulls as the minimum."""
    values = pc.cast(pc.cast(column, pa.timestamp("us")), pa.int64())
    return pc.fill_null(values, np.iinfo(np.int64).min).to_numpy()


def read_prospects(reader: TableReader, model: ServingModel, table: str, active_days: float) -> pd.DataFrame:
    """The visitors to score, each with the features of their last final_training row."""
    end_column = _require(reader, EVENTS_TABLE, ["data_end_tstamp"])
    data_end = pc.max(reader.read_table(EVENTS_TABLE, end_column).column(0)).as_py()
    visitor_columns = ["domain_userid", "last_seen_tstamp", "first_conversion_tstamp", "is_eligible"]
    visitors = reader.read_table(VISITORS_TABLE, _require(reader, VISITORS_TABLE, visitor_columns))
    visitors = visitors.rename_columns(visitor_columns)
    if data_end is None:
        raise TrainingError(f"{reader.qualified_name(EVENTS_TABLE)} is empty: there is nobody to score")
    cutoff = data_end - timedelta(days=active_days)
    keep = pc.and_(
        pc.and_(pc.is_null(visitors.column("first_conversion_tstamp")),
                pc.fill_null(visitors.column("is_eligible"), False)),
        pc.greater_equal(pc.cast(visitors.column("last_seen_tstamp"), pa.timestamp("us")),
                         pa.scalar(cutoff, pa.timestamp("us"))),
    )
    wanted = set(visitors.filter(keep).column("domain_userid").to_pylist())
    log.info("%d visitors active since %s (the last %g days of the data, which end at %s) and not converted",
             len(wanted), cutoff, active_days, data_end)

    columns = ["domain_userid", "derived_tstamp", "event_id", *model.features]
    rows = reader.read_table(table, _require(reader, table, columns)).rename_columns(columns)
    rows = rows.filter(pc.is_in(rows.column("domain_userid"), value_set=pa.array(sorted(wanted), pa.string())))
    # each visitor's last row: latest derived_tstamp, then the largest event_id (the read order's tie-break)
    order = pd.DataFrame({
        "visitor": rows.column("domain_userid").to_numpy(zero_copy_only=False),
        "time": _timestamps_us(rows.column("derived_tstamp")),
        "event_id": rows.column("event_id").to_numpy(zero_copy_only=False),
        "position": np.arange(rows.num_rows),
    }).sort_values(["visitor", "time", "event_id"], kind="stable")
    last = np.sort(order.drop_duplicates("visitor", keep="last")["position"].to_numpy())
    rows = rows.take(pa.array(last, pa.int64()))
    if rows.num_rows < len(wanted):
        log.warning(
            "%d of the %d selected visitors have no row in %s (e.g. snowplow__drop_immature_labels dropped "
            "their last events): they are not scored; the dbt model prospect_scores scores them as of the "
            "end of the data", len(wanted) - rows.num_rows, len(wanted), reader.qualified_name(table))
    frame = pd.DataFrame({
        feature: _feature_values(rows.column(feature), model._by_name[feature].feature_kind)
        for feature in model.features
    })
    frame.insert(0, "domain_userid", rows.column("domain_userid").to_numpy(zero_copy_only=False))
    frame.insert(1, "as_of_tstamp", rows.column("derived_tstamp").to_pandas())
    frame.insert(2, "as_of_event_id", rows.column("event_id").to_numpy(zero_copy_only=False))
    frame.attrs["data_end_tstamp"] = data_end
    return frame


def score_prospects(model: ServingModel, prospects: pd.DataFrame) -> pd.DataFrame:
    """Add ``score``, ``is_prospect`` and the model's version; best prospects first."""
    scores = model.predict_frame(prospects[model.features]) if len(prospects) else np.empty(0)
    version = model.version
    out = prospects.copy()
    out.insert(1, "score", scores)
    out.insert(2, "is_prospect", scores >= model.threshold)
    out["threshold"] = model.threshold
    out["model_kind"] = version["kind"]
    out["model_trained_at"] = version["trained_at"]
    out["model_data_fingerprint"] = version["data_fingerprint"]
    out["data_end_tstamp"] = prospects.attrs.get("data_end_tstamp")
    out["scored_at_utc"] = utc_now()
    return out.sort_values(["score", "domain_userid"], ascending=[False, True], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- writing


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``frame`` to ``path`` atomically (temp file in the same folder + rename)."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        try:
            plain = frame.copy(deep=False)
            plain.attrs = {}  # in-memory notes (data_end_tstamp), not for the file's metadata
            pq.write_table(pa.Table.from_pandas(plain, preserve_index=False), temp)
            os.replace(temp, target)
        finally:
            Path(temp).unlink(missing_ok=True)
    except OSError as exc:
        raise TrainingError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target


def write_duckdb_table(frame: pd.DataFrame, target: TargetConfig, table: str) -> str:
    """Replace ``table`` in the target's DuckDB database with ``frame``, in one transaction."""
    import duckdb

    from .duckdb_reader import database_path
    from .readers import quote_identifier

    path = database_path(target)
    schema = str(target.settings.get("schema") or "main")
    name = f"{quote_identifier(schema)}.{quote_identifier(table)}"
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as exc:
        raise TrainingError(f"cannot open {path} for writing the scores: {' '.join(str(exc).split())[:200]}") from exc
    try:
        con.register("scores_frame", frame)
        con.execute("begin transaction")
        con.execute(f"create schema if not exists {quote_identifier(schema)}")
        con.execute(f"create or replace table {name} as select * from scores_frame")
        con.execute("commit")
    except duckdb.Error as exc:
        con.execute("rollback")
        raise TrainingError(f"writing {schema}.{table} to {path} failed: {' '.join(str(exc).split())[:200]}") from exc
    finally:
        con.close()
    return f"{schema}.{table} in {path}"


def check_same_definitions(model: ServingModel, spec: FeatureSpec) -> None:
    """Refuse to score a build whose label or feature definitions are not the ones the model learned.

    The names alone do not say it: a catalog can reuse a name for another attribute (another
    period, other events), and another conversion event or horizon names another label.
    """
    trained_for = model.version.get("target")
    if trained_for and trained_for != spec.target:
        raise TrainingError(
            f"the model was trained for the label {trained_for}, but {spec.source} describes a build for "
            f"{spec.target}: score with a model trained on this build (python train/fit.py), or build with the vars "
            "the model was trained with"
        )
    changed = []
    for feature in model.features:
        trained = model._by_name[feature].signals_definition
        current = spec.columns.get(feature)
        if current is None:
            changed.append(f"{feature} (not a feature of this build)")
        elif trained is not None and current.signals_definition is not None and trained != current.signals_definition:
            changed.append(f"{feature} ({json.dumps(trained, sort_keys=True)} -> "
                           f"{json.dumps(current.signals_definition, sort_keys=True)})")
    if changed:
        raise TrainingError(
            f"{spec.source} defines features differently from the model's training: {'; '.join(changed)[:600]}; "
            "score with a model trained on this build (python train/fit.py), or build with the vars the model "
            "was trained with"
        )


def project_relations(project_dir: Path) -> set[str]:
    """The relations the dbt project builds (its models and seeds, by file name), lower-case."""
    names = {path.stem.lower() for path in (project_dir / "models").rglob("*.sql")}
    names |= {path.stem.lower() for path in (project_dir / "seeds").rglob("*.csv")}
    return names


def check_output_table(table: str, project_dir: Path, read_table: str) -> None:
    """Refuse an output table that is not a plain name, or that the dbt project (or this run) reads or builds."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", table):
        raise TrainingError(f"--output-table {table!r} is not a lower-case table name (letters, digits, _)")
    if table == read_table.lower() or table in project_relations(project_dir):
        raise TrainingError(
            f"--output-table {table} is a table the dbt project builds or this run reads; writing the scores "
            f"there would replace it: choose another name (default: {DEFAULT_OUTPUT_TABLE})"
        )


def run_scoring(options: ScoringOptions) -> tuple[pd.DataFrame, str]:
    """Read, score, write; returns the scores and where they went."""
    if not 0 < options.active_days <= MAX_ACTIVE_DAYS:
        raise TrainingError(
            f"--active-days must be more than 0 and at most {MAX_ACTIVE_DAYS}, not {options.active_days}"
        )
    model = ServingModel.load(options.model_dir)
    target = resolve_target(project_dir=options.project_dir, profiles_dir=options.profiles_dir, target=options.target)
    if options.output_parquet is None:
        check_output_table(options.output_table or DEFAULT_OUTPUT_TABLE, Path(target.project_dir), options.table)
    if options.output_parquet is None and target.type.lower() != "duckdb":
        raise TrainingError(
            f"{target.describe()}: writing the scores back is implemented for DuckDB; for {target.type} "
            "pass --output-parquet PATH and load the file with the warehouse's own loader"
        )
    with open_reader(target) as reader:
        check_same_definitions(model, load_feature_spec(reader))
        prospects = read_prospects(reader, model, options.table, options.active_days)
    scores = score_prospects(model, prospects)
    if options.output_parquet is not None:
        where = str(write_parquet(scores, options.output_parquet))
    else:
        where = write_duckdb_table(scores, target, options.output_table or DEFAULT_OUTPUT_TABLE)
    log.info("scored %d visitors (%d at or above the threshold %.4f) with the %s model trained at %s; wrote %s",
             len(scores), int(scores["is_prospect"].sum()), model.threshold, model.version["kind"],
             model.version["trained_at"], where)
    return scores, where


# --------------------------------------------------------------------------- command line


def _days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of days, not {text!r}") from None
    if not 0 < value <= MAX_ACTIVE_DAYS:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most {MAX_ACTIVE_DAYS}, not {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``prospect-score`` (``--help`` documents every option)."""
    parser = OneLineParser(
        prog="prospect-score",
        description=(
            "Score every eligible, not-yet-converted visitor active in the last N days of the observed "
            "data with a trained model (logreg or hgb), from the features of their last final_training "
            "row, and write the scores to a DuckDB table of the target's database or to a Parquet file."
        ),
        epilog="Exit status: 0 success, 2 bad input or configuration (one 'error:' line), 1 unexpected error.",
    )
    parser.add_argument("--model-dir", default=None, metavar="DIR",
                        help=f"folder of the trained model (default: ${MODEL_DIR_ENV}, else {DEFAULT_MODEL_DIR}).")
    parser.add_argument("--target", metavar="NAME",
                        help="dbt target to read from (default: env DBT_TARGET, else the profile's 'target:').")
    parser.add_argument("--profiles-dir", metavar="DIR",
                        help="directory containing profiles.yml (default: as train/fit.py finds it).")
    parser.add_argument("--project-dir", metavar="DIR",
                        help="dbt project directory (default: env DBT_PROJECT_DIR, else the repository root).")
    parser.add_argument("--table", default=DEFAULT_TABLE, metavar="NAME",
                        help=f"table of the features as of each event (default: {DEFAULT_TABLE}).")
    parser.add_argument("--active-days", default=DEFAULT_ACTIVE_DAYS, type=_days, metavar="N",
                        help="score visitors whose last event is within N days of the end of the data "
                             f"(default: {DEFAULT_ACTIVE_DAYS}).")
    parser.add_argument("--output-table", default=DEFAULT_OUTPUT_TABLE, metavar="NAME",
                        help="DuckDB table written in the target's schema, a lower-case name that is not one of "
                             f"the dbt project's tables (default: {DEFAULT_OUTPUT_TABLE}).")
    parser.add_argument("--output-parquet", default=None, metavar="PATH",
                        help="write a Parquet file instead of a table (required for Snowflake and BigQuery targets).")
    parser.add_argument("--verbose", "-v", action="store_true", help="debug logging and tracebacks.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``prospect-score``."""
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(f"error: {exc} (see prospect-score --help)", file=sys.stderr)
        return EXIT_BAD_INPUT
    configure_logging(args.verbose)
    options = ScoringOptions(
        model_dir=args.model_dir or os.environ.get(MODEL_DIR_ENV) or DEFAULT_MODEL_DIR,
        target=args.target, profiles_dir=args.profiles_dir, project_dir=args.project_dir, table=args.table,
        active_days=args.active_days, output_table=args.output_table, output_parquet=args.output_parquet,
    )
    return run_reported(lambda: run_scoring(options), (TrainingError, ServingError), verbose=args.verbose,
                        what="scoring")


def entry() -> None:
    """Console script ``prospect-score``."""
    sys.exit(main())


if __name__ == "__main__":
    sys.exit(main())
