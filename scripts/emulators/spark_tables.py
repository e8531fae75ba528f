"""Load and dump tables of the local Spark target in one JVM (one SparkSession).

    PYTHONPATH=train .venv-spark/bin/python scripts/emulators/spark_tables.py \\
        --load prospect_nasty.events=events.parquet \\
        --dump prospect_scoring.final_training=final_training.parquet

Used by the Spark checks (tests/python/test_warehouse_spark.py): ``--load``
writes a Parquet file as a Parquet table of the ``spark`` target's local Spark
(profiles.yml: the same warehouse and Derby metastore as dbt); ``--dump`` reads a
table through the training step's reader (prospect_model.spark_reader, as
train/fit.py does) and writes it as Parquet, or, for a table that does not exist,
prints the reader's one-line error (``missing: ...``). A Derby metastore allows
one JVM at a time, so this runs between dbt invocations, never beside one.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from prospect_model.errors import TrainingError
from prospect_model.profiles import resolve_target
from prospect_model.spark_reader import SparkReader, quote_identifier

log = logging.getLogger("spark_tables")


def _pair(text: str) -> tuple[str, str, Path]:
    name, sep, path = text.partition("=")
    schema, dot, table = name.partition(".")
    if not (sep and dot and schema and table and path):
        raise argparse.ArgumentTypeError(f"expected SCHEMA.TABLE=FILE, got {text!r}")
    return schema, table, Path(path)


def _utc(table: pa.Table) -> pa.Table:
    """Naive timestamps as UTC instants (Spark TIMESTAMP), the way the events are meant."""
    fields = [
        pa.field(f.name, pa.timestamp("us", tz="UTC")) if pa.types.is_timestamp(f.type) else f for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def load_tables(spark: Any, loads: list[tuple[str, str, Path]]) -> None:
    """Write each Parquet file as a Parquet table SCHEMA.TABLE (replacing it)."""
    for schema, table, path in loads:
        spark.sql(f"create schema if not exists {quote_identifier(schema)}")
        frame = spark.createDataFrame(_utc(pq.read_table(path)))
        frame.write.format("parquet").mode("overwrite").saveAsTable(f"{quote_identifier(schema)}.{quote_identifier(table)}")
        log.info("loaded %s into %s.%s", path, schema, table)


def dump_tables(reader: SparkReader, dumps: list[tuple[str, str, Path]]) -> None:
    """Read each table through the training step's reader and write it as Parquet; a missing one: ``missing: ...``."""
    for schema, table, path in dumps:
        other = SparkReader(dataclasses.replace(reader.target, settings={**reader.target.settings, "schema": schema}),
                            session=reader.session)
        try:
            data = other.read_table(table)
        except TrainingError as exc:
            print(f"missing: {exc}", flush=True)
            continue
        pq.write_table(data, path)
        log.info("%s.%s: %d rows -> %s", schema, table, data.num_rows, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="spark", help="the dbt target (a dbt-spark session target; default spark)")
    parser.add_argument("--load", action="append", type=_pair, default=[], metavar="SCHEMA.TABLE=FILE",
                        help="write the Parquet FILE as table SCHEMA.TABLE (replacing it)")
    parser.add_argument("--dump", action="append", type=_pair, default=[], metavar="SCHEMA.TABLE=FILE",
                        help="read table SCHEMA.TABLE through the training step's reader and write it to FILE")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    start = time.monotonic()
    try:
        target = resolve_target(target=args.target)
        with SparkReader(target) as reader:
            log.info("SparkSession ready in %.1f s", time.monotonic() - start)
            load_tables(reader.session, args.load)
            dump_tables(reader, args.dump)
    except TrainingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    log.info("done in %.1f s", time.monotonic() - start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
