"""Load a CSV file (the shipped sample) into a table of a dbt target, through the training step's connection.

    PYTHONPATH=train .venv-snowflake/bin/python scripts/emulators/load_table.py --target snowflake \\
        seeds/snowplow_sample_events.csv snowplow_sample_events

The warehouse checks load the sample events this way instead of ``dbt seed``:
``dbt seed`` sends the rows as SQL through the emulator's server, which
translates every statement (minutes for the sample), while the
bulk paths take seconds: Snowflake ``PUT`` into the table's stage + ``COPY
INTO``; BigQuery a few statements that select the rows from JSON literals.
The table gets the types ``dbt seed`` gives it (the seed's column_types in
dbt_project.yml, and agate's inference for the rest: integers, booleans, text), so
that models read the same table either way; empty
fields are NULL, as with ``dbt seed``. It connects with the target's profile and
environment variables, exactly as train/fit.py does (no other credentials).
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prospect_model.errors import TrainingError
from prospect_model.profiles import resolve_target
from prospect_model.readers import open_reader

log = logging.getLogger("load_table")

#: Column types that dbt_project.yml sets for the sample seed (the rest is inferred).
TIMESTAMP_COLUMNS = {"derived_tstamp"}
#: Bytes of JSON per BigQuery statement (BigQuery caps a query's text at 1 MB).
BIGQUERY_LITERAL_BYTES = 900_000
_INTEGER = re.compile(r"-?\d+")


def column_kinds(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """'timestamp', 'integer', 'boolean' or 'text' per column (as dbt seed infers them; empty = NULL)."""
    kinds = []
    for index, name in enumerate(header):
        values = [row[index] for row in rows if row[index] != ""]
        if name.lower() in TIMESTAMP_COLUMNS:
            kinds.append("timestamp")
        elif values and all(_INTEGER.fullmatch(v) for v in values):
            kinds.append("integer")
        elif values and all(v.lower() in ("true", "false") for v in values):
            kinds.append("boolean")
        else:
            kinds.append("text")
    return kinds


def _create_table(table: str, header: Sequence[str], kinds: Sequence[str], dialect: str) -> str:
    types = {
        "snowflake": {"timestamp": "timestamp_ntz", "integer": "integer", "boolean": "boolean", "text": "varchar"},
        "bigquery": {"timestamp": "timestamp", "integer": "int64", "boolean": "bool", "text": "string"},
    }[dialect]
    columns = ", ".join(f"{name.lower()} {types[kind]}" for name, kind in zip(header, kinds, strict=True))
    return f"create or replace table {table} ({columns})"


def load_snowflake(reader: Any, csv_path: Path, table: str, header: Sequence[str], kinds: Sequence[str]) -> None:
    """CREATE OR REPLACE TABLE, PUT the file into the table's stage, COPY INTO (Snowflake's bulk path)."""
    name = f"{reader.database}.{reader.schema}.{table}"
    cursor = reader._con.cursor()
    cursor.execute(_create_table(name, header, kinds, "snowflake"))
    cursor.execute(f"put 'file://{csv_path.resolve()}' @%{table} auto_compress=false overwrite=true")
    cursor.execute(
        f"copy into {name} from @%{table} file_format = (type = csv skip_header = 1 "
        "field_optionally_enclosed_by = '\"' empty_field_as_null = true) on_error = abort_statement"
    )


def load_bigquery(
    reader: Any, table: str, header: Sequence[str], rows: Sequence[Sequence[str]], kinds: Sequence[str]
) -> None:
    """CREATE TABLE ... AS SELECT, then INSERT ... SELECT, over the rows as JSON string literals of at most ~900 KB.

    BigQuery's own bulk path would be a CSV load job, but the emulator inserts
    a load job's rows one by one (about 40 s for the sample) and takes no query
    parameters; JSON literals take seconds and stay under BigQuery's 1 MB query
    length. Empty fields are NULL.
    """
    types = {"timestamp": "timestamp", "integer": "int64", "boolean": "bool", "text": "string"}
    client = reader._client
    # dbt creates the dataset on its first run; the load comes first.
    client.create_dataset(f"{reader.project}.{reader.dataset}", exists_ok=True)
    full = f"`{reader.project}.{reader.dataset}.{table}`"
    columns = ", ".join(
        f"cast(json_value(r, '$[{i}]') as {types[kind]}) as {name.lower()}"
        for i, (name, kind) in enumerate(zip(header, kinds, strict=True))
    )
    chunks: list[list[list[str | None]]] = [[]]
    size = 0
    for row in rows:
        item = [value if value != "" else None for value in row]
        size += len(json.dumps(item)) + 1
        if size > BIGQUERY_LITERAL_BYTES and chunks[-1]:
            chunks.append([])
            size = len(json.dumps(item)) + 1
        chunks[-1].append(item)
    for index, chunk in enumerate(chunks):
        literal = "'" + json.dumps(chunk).replace("\\", "\\\\").replace("'", "\\'") + "'"
        select = f"select {columns} from unnest(json_query_array({literal})) as r"
        sql = f"create or replace table {full} as {select}" if index == 0 else f"insert into {full} {select}"
        client.query(sql, location=reader.location_name).result()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True)
    parser.add_argument("csv", type=Path)
    parser.add_argument("table")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        with args.csv.open(newline="", encoding="utf-8") as handle:
            header, *rows = list(csv.reader(handle))
    except (OSError, ValueError) as exc:
        print(f"error: cannot read {args.csv}: {exc}", file=sys.stderr)
        return 2
    try:
        with open_reader(resolve_target(target=args.target)) as reader:
            kinds = column_kinds(header, rows)
            if hasattr(reader, "_client"):
                load_bigquery(reader, args.table, header, rows, kinds)
            elif hasattr(reader, "_con") and hasattr(reader, "database"):
                load_snowflake(reader, args.csv, args.table, header, kinds)
            else:
                raise TrainingError(f"load_table.py loads into Snowflake or BigQuery targets only, not {args.target}")
    except TrainingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # the warehouse refused a statement
        reason = " ".join(str(exc).split()) or type(exc).__name__
        print(f"error: loading {args.csv} into {args.table} failed: {reason}", file=sys.stderr)
        return 1
    log.info("%d rows -> %s", len(rows), args.table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
