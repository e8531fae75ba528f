"""sqlfluff over the SQL a warehouse target compiled: what the adapter-specific macros emit.

`make lint` lints on DuckDB only (.venv has no other adapter), so the snowflake__, bigquery__ and spark__
macros (and the non-DuckDB branches of the dispatched ones) are linted here, where the warehouse tests
compile the project with those adapters: the compiled nodes as plain SQL (raw templater) in the
target's dialect, with .sqlfluff-rendered and the Makefile's third pass's exclusions (LINT_RAW_OFF, read
from the Makefile), dbt's built-in generic tests left out as there. One sqlfluff run per call.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from dbt_harness import PROJECT_DIR

SQLFLUFF = Path(sys.executable).with_name("sqlfluff")
#: dbt's built-in generic tests (its SQL, not the project's), left out as `make lint` leaves them out.
DBT_GENERIC_TESTS = ("not_null_", "unique_", "accepted_values_", "relationships_")
#: On top of LINT_RAW_OFF, for the warehouse dialects only (on DuckDB `make lint` judges both):
#: references.keywords: it flags the column names of final_training_columns, the contract train/fit.py and
#:   serving read (aggregation is a keyword of Snowflake's dialect, ordinal of BigQuery's, column_name of
#:   Databricks'); renaming them would change the table, and quoting them only on some targets is no style.
#: convention.quoted_literals: on BigQuery and Spark it would have a literal holding a quote double-quoted
#:   ("visitor's") rather than the quote_literal macros' backslash escape ('visitor\'s'); a double-quoted
#:   text is an identifier on Spark / Databricks with ANSI double-quoted identifiers on, the escape reads
#:   the same everywhere.
WAREHOUSE_OFF = ("references.keywords", "convention.quoted_literals")


def lint_raw_off() -> list[str]:
    """The rules the Makefile's compiled pass (LINT_RAW_OFF) leaves out."""
    match = re.search(r"^LINT_RAW_OFF\s*:=\s*(\S+)\s*$", (PROJECT_DIR / "Makefile").read_text(), re.MULTILINE)
    assert match, "LINT_RAW_OFF not found in the Makefile"
    return match.group(1).split(",")


def compiled_sql_files(*compiled: Path) -> list[Path]:
    """The compiled nodes under the `target/compiled` folders `compiled`, but dbt's generic tests."""
    files = sorted(path for folder in compiled for path in folder.rglob("*.sql")
                   if not path.name.startswith(DBT_GENERIC_TESTS))
    assert files, f"no compiled SQL under {[str(c) for c in compiled]}"
    return files


def lint_compiled(dialect: str, *compiled: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """sqlfluff lint of the compiled SQL under `compiled` in `dialect`: the result and its seconds."""
    command = [str(SQLFLUFF), "lint", "--templater", "raw", "--disregard-sqlfluffignores",
               "--config", ".sqlfluff-rendered", "--dialect", dialect,
               "--exclude-rules", ",".join([*lint_raw_off(), *WAREHOUSE_OFF]),
               *map(str, compiled_sql_files(*compiled))]
    start = time.monotonic()
    result = subprocess.run(command, cwd=PROJECT_DIR, text=True, capture_output=True, timeout=600)
    return result, time.monotonic() - start


def assert_lint_clean(dialect: str, *compiled: Path) -> float:
    """Fail with sqlfluff's report when the compiled SQL has violations; the seconds the lint took."""
    result, seconds = lint_compiled(dialect, *compiled)
    assert result.returncode == 0, (
        f"sqlfluff ({dialect}) found violations in the compiled SQL (the macros that emit it: macros/; "
        f"style fixes only, see tests/python/compiled_sql_lint.py for the rules left out):\n"
        f"{result.stdout[-12000:]}\n{result.stderr[-3000:]}")
    return seconds
