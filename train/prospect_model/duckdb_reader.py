"""The DuckDB reader (dbt-duckdb targets): a read-only connection to the file.

The file named by the target's ``path`` is found as dbt finds it: a relative
path is relative to the directory the command runs in (dbt does not change into
the project directory), so run ``fit.py`` where you ran ``dbt build``, or use an
absolute ``DBT_DUCKDB_PATH``. If the relative path names no file there but one
exists relative to the project directory, the run stops and names both (it
would be a database of another build). The file must exist: it is never created
(DuckDB would create a missing file on connect). A file locked by another
process (a running ``dbt build``, an open notebook) is reported as such. The log
names the file read and when it was last written.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from .errors import TrainingError, first_line
from .profiles import TargetConfig
from .readers import SqlTableReader, TableMissing, quote_identifier, register_reader

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
    path = Path(raw).expanduser()
    if path.is_absolute():
        return path.resolve()
    # dbt-duckdb opens a relative path from the directory dbt runs in (the cwd).
    here = (Path.cwd() / path).resolve()
    in_project = (Path(target.project_dir) / path).resolve()
    if not here.exists() and in_project.exists() and in_project != here:
        raise TrainingError(
            f"{target.describe()}: the DuckDB path {raw!r} is relative, and dbt resolves it against the "
            f"directory it runs in: {here} does not exist, but {in_project} (relative to the project) does; "
            "run fit.py from the directory you ran `dbt build` in, or set DBT_DUCKDB_PATH to an absolute path"
        )
    return here


class DuckDBReader(SqlTableReader):
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
        self._con: duckdb.DuckDBPyConnection | None = None
        try:
            self._con = duckdb.connect(str(self.path), read_only=True)
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            raise TrainingError(_open_error_message(self.path, target, exc)) from exc
        except duckdb.Error as exc:
            raise TrainingError(
                f"cannot open DuckDB database {self.path} ({target.describe()}): {first_line(exc)}"
            ) from exc
        # No progress bar on stdout during long reads.
        self._con.execute("set enable_progress_bar = false")
        written = datetime.fromtimestamp(self.path.stat().st_mtime, UTC).replace(microsecond=0)
        log.info("reading DuckDB database %s (last written %s UTC)", self.path, written.isoformat(" ")[:19])

    def location(self) -> str:
        return f"DuckDB database {self.path} ({self.target.describe()})"

    def qualified_name(self, table: str) -> str:
        return f"{self.schema}.{table}"

    def _resolve(self, table: str) -> tuple[str, str] | None:
        rows = self._connection().execute(
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
            raise TableMissing(table)
        return f"{quote_identifier(resolved[0])}.{quote_identifier(resolved[1])}"

    def _key_expression(self, quoted: str) -> str:
        # hash() of NULL is not NULL in DuckDB: keep NULLs visible to validation.
        return f"case when {quoted} is null then null else hash({quoted}) end"

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise TrainingError(f"the connection to {self.path} is closed")
        return self._con

    def _run_query(self, sql: str) -> pa.Table:
        return self._connection().sql(sql).to_arrow_table()

    def table_schema(self, table: str) -> pa.Schema | None:
        if self._resolve(table) is None:
            return None
        return super().table_schema(table)

    def close(self) -> None:
        con, self._con = getattr(self, "_con", None), None
        if con is not None:
            con.close()


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
    return f"cannot open DuckDB database {path} ({target.describe()}): {first_line(exc)}"


register_reader("duckdb", DuckDBReader)
