#!/usr/bin/env python3
"""Before `dbt build` on DuckDB (`make build` runs this first): one line instead of dbt's
long traceback when the database file cannot be opened.

Checks the file dbt will open, resolved as dbt resolves it (DBT_DUCKDB_PATH, default
prospect_scoring.duckdb, relative to the current directory): its folder exists, and no
other process holds DuckDB's lock on it (a second build, an open notebook, fit.py).
Exit 0 when dbt can go ahead (or the target is not DuckDB), 2 with an `error:` line.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Sequence


def database_path() -> Path:
    """The DuckDB file of the default profile, as dbt (running in this directory) resolves it."""
    return Path(os.environ.get("DBT_DUCKDB_PATH") or "prospect_scoring.duckdb").expanduser().absolute()


def problem(path: Path) -> str | None:
    """Why dbt could not open ``path`` for writing, or None."""
    if not path.parent.is_dir():
        return (f"the folder of the DuckDB database {path} does not exist: create it (mkdir -p {path.parent}) "
                f"or set DBT_DUCKDB_PATH to a file in an existing folder")
    if path.is_dir():
        return f"the DuckDB database {path} is a directory: set DBT_DUCKDB_PATH to a file"
    if not path.exists():
        return None
    import duckdb  # noqa: PLC0415 (only when there is a file to check)

    try:
        duckdb.connect(str(path)).close()
    except duckdb.IOException as exc:
        text = str(exc)
        holder = re.search(r"PID (\d+)", text)
        if "lock" in text.lower():
            who = f"process {holder.group(1)}" if holder else "another process"
            return (f"the DuckDB database {path} is locked by {who} (another dbt build, fit.py or a notebook "
                    f"holding it open): wait for it or close it, then run again")
        return f"cannot open the DuckDB database {path}: {text.splitlines()[0]}"
    except duckdb.Error as exc:
        return f"cannot open the DuckDB database {path}: {str(exc).splitlines()[0]}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args(argv)
    if os.environ.get("DBT_TARGET", "duckdb") != "duckdb":
        return 0
    reason = problem(database_path())
    if reason:
        print(f"error: {reason}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
