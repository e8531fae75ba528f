"""Reading warehouse tables into Arrow: the reader interface and its registry.

A :class:`TableReader` serves one dbt target. It is opened with
:func:`open_reader`, which picks the implementation registered for the target's
``type``. Readers live in their own modules and register themselves on import
(see ``duckdb_reader.py``, ``snowflake_reader.py``, ``bigquery_reader.py``,
``spark_reader.py``, ``databricks_reader.py``);
:data:`BUILTIN_READER_MODULES` lists the modules imported on demand, so another
warehouse is added by writing e.g. ``redshift_reader.py`` (a ``TableReader``
subclass + ``register_reader("redshift", ...)``) and adding it to that mapping.

The interface is deliberately small: everything the training step needs is "does
this table exist and what are its columns" (:meth:`TableReader.table_schema`) and
"read these columns, optionally only rows where a boolean column is true, in
this order" (:meth:`TableReader.read_table`), returned as a ``pyarrow.Table``.
Identifier columns whose values only matter for equality (the visitor id) can be
read as 64-bit hash keys (``key_columns``): at 10M rows this halves the memory of
the read and of the database's sort compared with the 36-character strings.
"""

from __future__ import annotations

import importlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any

import pyarrow as pa

from .errors import TrainingError, first_line
from .profiles import TargetConfig

log = logging.getLogger(__name__)


class TableReader(ABC):
    """Read-only access to the tables of one dbt target (a context manager)."""

    def __init__(self, target: TargetConfig) -> None:
        self.target = target

    @abstractmethod
    def location(self) -> str:
        """Where the data lives, for messages (e.g. ``DuckDB database /x.duckdb``)."""

    @abstractmethod
    def qualified_name(self, table: str) -> str:
        """The table's name as shown to users (e.g. ``main.final_training``)."""

    @abstractmethod
    def table_schema(self, table: str) -> pa.Schema | None:
        """The Arrow schema of ``table`` in the target's schema, or None if it does not exist."""

    @abstractmethod
    def read_table(
        self,
        table: str,
        columns: Sequence[str] | None = None,
        *,
        where_true: str | None = None,
        order_by: Sequence[str] = (),
        key_columns: Sequence[str] = (),
    ) -> pa.Table:
        """Read ``columns`` (all if None) of ``table`` as Arrow.

        ``where_true`` keeps only rows whose boolean column is true (NULL counts as
        false); ``order_by`` sorts ascending by these columns (deterministic order);
        the columns named in ``key_columns`` are returned, under their own names, as
        a 64-bit integer hash of their values (equal values -> equal keys; NULL
        stays NULL), e.g. DuckDB ``hash(x)``, Snowflake ``HASH(x)``, BigQuery
        ``FARM_FINGERPRINT(x)``.
        """

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the connection."""

    def __enter__(self) -> TableReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class TableMissing(Exception):
    """Raised by :meth:`SqlTableReader._run_query` when the table does not exist (or is not visible)."""


class SqlTableReader(TableReader):
    """What the SQL warehouse readers (DuckDB, Snowflake, BigQuery, Spark, Databricks) share.

    A subclass says how to name a table in SQL (:meth:`_sql_name`), how to quote
    an identifier (:meth:`_quote`), how to hash a key column
    (:meth:`_key_expression`) and how to run a query into Arrow
    (:meth:`_run_query`, raising :class:`TableMissing` for a missing table); this
    class builds the SELECT, turns a missing table and client errors into one-line
    :class:`TrainingError` messages, and reads schemas with ``limit 0``.
    """

    #: Appended to the ``where_true`` column (e.g. `` is true`` where a bare column is not a predicate).
    true_test: str = ""

    @abstractmethod
    def _sql_name(self, table: str) -> str:
        """The table's name in SQL (quoted as needed); may raise TableMissing."""

    @abstractmethod
    def _run_query(self, sql: str) -> pa.Table:
        """Run ``sql`` and return its result; raise TableMissing if the table does not exist."""

    def _quote(self, name: str) -> str:
        return quote_identifier(name)

    def _key_expression(self, quoted: str) -> str:
        return f"hash({quoted})"

    def _failed(self, table: str, exc: BaseException) -> TrainingError:
        return TrainingError(f"reading {self.qualified_name(table)} from {self.location()} failed: {first_line(exc)}")

    def _query(self, sql: str, table: str) -> pa.Table:
        log.debug("query: %s", sql)
        try:
            return self._run_query(sql)
        except (TableMissing, TrainingError):
            raise
        except Exception as exc:  # the client's errors (and network errors): one line
            raise self._failed(table, exc) from exc

    def table_schema(self, table: str) -> pa.Schema | None:
        try:
            return self._query(f"select * from {self._sql_name(table)} limit 0", table).schema
        except TableMissing:
            return None

    def select(
        self,
        table: str,
        columns: Sequence[str] | None,
        *,
        where_true: str | None,
        order_by: Sequence[str],
        key_columns: Sequence[str],
    ) -> str:
        """The SELECT of :meth:`read_table` in this reader's dialect."""
        return select_sql(
            self._sql_name(table), columns, where_true=where_true, order_by=order_by, key_columns=key_columns,
            quote=self._quote, key_expression=self._key_expression, true_test=self.true_test,
        )

    def read_table(
        self,
        table: str,
        columns: Sequence[str] | None = None,
        *,
        where_true: str | None = None,
        order_by: Sequence[str] = (),
        key_columns: Sequence[str] = (),
    ) -> pa.Table:
        try:
            sql = self.select(table, columns, where_true=where_true, order_by=order_by, key_columns=key_columns)
            return self._query(sql, table)
        except TableMissing as exc:
            raise TrainingError(
                f"table {self.qualified_name(table)} not found in {self.location()}; run `dbt build` first"
            ) from exc


def setting(settings: Mapping[str, Any], *names: str) -> Any:
    """The first of ``names`` that is set in a target's settings.

    Unset: missing, None, a blank string (an unset env var rendered to ''), and 0
    or '0' (an unset port, timeout, ... rendered from a numeric default). The one
    rule every reader applies.
    """
    for name in names:
        value = settings.get(name)
        if value is None:
            continue
        if isinstance(value, str) and value.strip() in ("", "0"):
            continue
        if not isinstance(value, bool) and isinstance(value, (int, float)) and value == 0:
            continue
        return value
    return None


#: A function that opens a reader for a target (raising TrainingError if it cannot).
ReaderFactory = Callable[[TargetConfig], TableReader]

_FACTORIES: dict[str, ReaderFactory] = {}

#: Target types whose reader module is imported on demand (the module registers itself).
BUILTIN_READER_MODULES: dict[str, str] = {
    "duckdb": ".duckdb_reader",
    # The warehouse clients are optional installs: these modules import them only
    # when a reader is opened, and say which requirements file to install if absent.
    "snowflake": ".snowflake_reader",
    "bigquery": ".bigquery_reader",
    "spark": ".spark_reader",
    "databricks": ".databricks_reader",
}

#: Target types known to be planned but not implemented yet.
PLANNED_TYPES: frozenset[str] = frozenset()


def register_reader(target_type: str, factory: ReaderFactory) -> None:
    """Register ``factory`` for dbt targets of ``type: target_type``."""
    _FACTORIES[target_type.lower()] = factory


def supported_types() -> list[str]:
    """Target types that can be read (registered or importable built-ins)."""
    return sorted(set(_FACTORIES) | set(BUILTIN_READER_MODULES))


def open_reader(target: TargetConfig) -> TableReader:
    """Open a reader for ``target`` according to its ``type``."""
    target_type = target.type.lower()
    if target_type not in _FACTORIES and target_type in BUILTIN_READER_MODULES:
        importlib.import_module(BUILTIN_READER_MODULES[target_type], __package__)
    factory = _FACTORIES.get(target_type)
    if factory is None:
        supported = ", ".join(supported_types())
        if target_type in PLANNED_TYPES:
            raise TrainingError(
                f"{target.describe()}: reading from {target.type} is not supported yet "
                f"(supported target types: {supported}); use a duckdb target with --target"
            )
        raise TrainingError(
            f"{target.describe()}: unsupported target type '{target.type}' "
            f"(supported target types: {supported})"
        )
    log.debug("opening %s reader for target %s", target_type, target.target_name)
    return factory(target)


def select_sql(
    source: str,
    columns: Sequence[str] | None,
    *,
    where_true: str | None,
    order_by: Sequence[str],
    key_columns: Sequence[str],
    quote: Callable[[str], str],
    key_expression: Callable[[str], str],
    true_test: str = "",
) -> str:
    """The SELECT every reader runs for :meth:`TableReader.read_table`.

    ``quote`` quotes an identifier in the engine's dialect; ``key_expression`` maps a
    quoted key column to its 64-bit hash expression; ``true_test`` is appended to the
    ``where_true`` column (e.g. `` is true``).
    """
    if columns is None:
        if key_columns:
            raise ValueError("key_columns needs an explicit column list")
        select = "*"
    else:
        select = ", ".join(
            f"{key_expression(quote(c))} as {quote(c)}" if c in key_columns else quote(c) for c in columns
        )
    sql = f"select {select} from {source}"
    if where_true is not None:
        sql += f" where {quote(where_true)}{true_test}"
    if order_by:
        sql += " order by " + ", ".join(map(quote, order_by))
    return sql


def quote_identifier(name: str) -> str:
    """Quote an SQL identifier with double quotes (ANSI; DuckDB, Snowflake)."""
    return '"' + name.replace('"', '""') + '"'
