"""The DuckDB reader (dbt-duckdb targets): a read-only connection to the file.

The file named by the target's ``path`` (relative paths are relative to the
dbt project directory, as for dbt, which runs there) must exist: it is never created (DuckDB
would create a missing file on connect). A file locked by another process (a
running ``dbt build``, an open notebook) is reported as such.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from .errors import TrainingError
from .profiles import TargetConfig
from .readers import TableReader, quote_identifier, register_reader, select_sql

log = logging.getLogger(__name__)

_UNSUPPORTED_PREFIXES = ("md:", "motherduck:")


def database_path(target: TargetConfig) -> Path:
    """The absolute path of the target's DuckDB file (not checked for existence)."""
    raw = str(target.settings.get("path") or ":memory:")
    if raw == ":memory:" or raw.startswith(":memory:"):
        raise TrainingError(
            f"{target.describe()} uses an in-memory DuckDB database; set 'path' in "
            f"{target.profiles_path} to the file that `dbt build` writes"
        )
    if raw.startswith(_UNSUPPORTED_PREFIXES) or "://" in raw:
        raise TrainingError(
            f"{target.describe()}: DuckDB path {raw!r} is not a local file; only local "
            "DuckDB files are supported yet"
        )
    # dbt changes into the project directory before it connects, so a relative
    # path is relative to the project, whatever directory dbt was started from.
    return (Path(target.project_dir) / Path(raw).expanduser()).resolve()


class DuckDBReader(TableReader):
    """Reads tables from a dbt-duckdb target through one read-only connection."""

    def __init__(self, target: TargetConfig) -> None:
        super().__init__(target)
        self.path = database_path(target)
        self.schema = str(target.settings.get("schema") or "main")
        if not self.path.is_file():
            raise TrainingError(
                f"DuckDB database {self.path} ({target.describe()}) does not exist; "
                "run `dbt build` first"
            )
        try:
            self._con = duckdb.connect(str(self.path), read_only=True)
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            raise TrainingError(_open_error_message(self.path, target, exc)) from exc
        except duckdb.Error as exc:
            raise TrainingError(
                f"cannot open DuckDB database {self.path} ({target.describe()}): "
                f"{_first_line(exc)}"
            ) from exc
        # No progress bar on stdout during long reads.
        self._con.execute("set enable_progress_bar = false")
        log.debug("opened %s read-only", self.path)

    def location(self) -> str:
        return f"DuckDB database {self.path} ({self.target.describe()})"

    def qualified_name(self, table: str) -> str:
        return f"{self.schema}.{table}"

    def _resolve(self, table: str) -> tuple[str, str] | None:
        rows = self._con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() "
            "and lower(table_schema) = lower(?) and lower(table_name) = lower(?) "
            "order by (table_schema = ? and table_name = ?) desc",
            [self.schema, table, self.schema, table],
        ).fetchall()
        return (rows[0][0], rows[0][1]) if rows else None

    def _sql_name(self, table: str) -> str:
        resolved = self._resolve(table)
        if resolved is None:
            raise TrainingError(
                f"table {self.qualified_name(table)} not found in {self.location()}; "
                "run `dbt build` first"
            )
        return f"{quote_identifier(resolved[0])}.{quote_identifier(resolved[1])}"

    def table_schema(self, table: str) -> pa.Schema | None:
        if self._resolve(table) is None:
            return None
        return self._con.sql(f"select * from {self._sql_name(table)} limit 0").to_arrow_table().schema

    def read_table(
        self,
        table: str,
        columns: Sequence[str] | None = None,
        *,
        where_true: str | None = None,
        order_by: Sequence[str] = (),
        key_columns: Sequence[str] = (),
    ) -> pa.Table:
        sql = select_sql(
            self._sql_name(table), columns, where_true=where_true, order_by=order_by,
            key_columns=key_columns, quote=quote_identifier,
            # hash() of NULL is not NULL in DuckDB: keep NULLs visible to validation.
            key_expression=lambda c: f"case when {c} is null then null else hash({c}) end",
        )
        log.debug("query: %s", sql)
        try:
            return self._con.sql(sql).to_arrow_table()
        except duckdb.Error as exc:
            raise TrainingError(
                f"reading {self.qualified_name(table)} from {self.location()} failed: "
                f"{_first_line(exc)}"
            ) from exc

    def close(self) -> None:
        con, self._con = getattr(self, "_con", None), None
        if con is not None:
            con.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _open_error_message(path: Path, target: TargetConfig, exc: BaseException) -> str:
    text = str(exc)
    lowered = text.lower()
    if "lock" in lowered or "different configuration" in lowered:
        holder = ""
        match = re.search(r"PID (\d+)", text)
        if match:
            holder = f" (PID {match.group(1)})"
        return (
            f"DuckDB database {path} ({target.describe()}) is locked by another process"
            f"{holder}, e.g. a running `dbt build` or an open notebook; close it and retry"
        )
    return f"cannot open DuckDB database {path} ({target.describe()}): {_first_line(exc)}"


register_reader("duckdb", DuckDBReader)
