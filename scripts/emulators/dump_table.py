"""Read one table of a dbt target through the training step's reader and write it as Parquet.

    PYTHONPATH=train .venv-snowflake/bin/python scripts/emulators/dump_table.py --target snowflake final_training out.parquet

Used by the warehouse checks to compare a warehouse's final_training with the
DuckDB build; it reads exactly as train/fit.py does (profile, env vars, reader).
Column names are written in lower case (Snowflake returns upper case).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow.parquet as pq

from prospect_model.errors import TrainingError
from prospect_model.profiles import resolve_target
from prospect_model.readers import open_reader


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True)
    parser.add_argument("table")
    parser.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    try:
        with open_reader(resolve_target(target=args.target)) as reader:
            if reader.table_schema(args.table) is None:
                raise TrainingError(f"table {reader.qualified_name(args.table)} not found in {reader.location()}")
            table = reader.read_table(args.table)
    except TrainingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    table = table.rename_columns([name.lower() for name in table.column_names])
    pq.write_table(table, args.output)
    print(f"{table.num_rows} rows, columns {', '.join(table.column_names)} -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
