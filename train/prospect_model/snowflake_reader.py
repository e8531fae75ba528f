"""The Snowflake reader (dbt-snowflake targets), through snowflake-connector-python.

The connection settings are the dbt target's, rendered from ``profiles.yml``
(so from the environment, see docs/warehouses.md): account, user, password or
key pair (``private_key_path`` / ``private_key_passphrase``) or an
``authenticator``, role, warehouse, database, schema, and optionally
``host`` / ``port`` / ``protocol`` (a proxy or an emulator). Tables are read with
``fetch_arrow_all`` (Arrow end to end, no row-by-row conversion).

The client is an optional install (``requirements-snowflake.txt``); without it
the reader raises a one-line "install it" error.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from .errors import TrainingError
from .profiles import TargetConfig
from .readers import TableReader, quote_identifier, register_reader, select_sql

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install -r requirements.txt -r requirements-snowflake.txt"
_INT63 = 2**63 - 1
#: Snowflake's error number for "object does not exist or not authorized".
_DOES_NOT_EXIST = 2003


def _import_connector() -> Any:
    try:
        import snowflake.connector  # noqa: PLC0415 - optional dependency
    except ImportError as exc:
        raise TrainingError(
            f"the Snowflake client (snowflake-connector-python) is not installed; install it: {INSTALL_HINT}"
        ) from exc
    return snowflake.connector


def _setting(settings: Mapping[str, Any], name: str) -> Any:
    """A setting; empty (an unset env var rendered to '') and 0 (an unset port) mean unset."""
    value = settings.get(name)
    if value is None or (isinstance(value, str) and value.strip() in ("", "0")) or value == 0:
        return None
    return value


def connect_params(target: TargetConfig) -> dict[str, Any]:
    """The keyword arguments of ``snowflake.connector.connect`` for ``target`` (the way dbt-snowflake builds them)."""
    settings = target.settings
    missing = [name for name in ("account", "database", "schema") if _setting(settings, name) is None]
    authenticator = _setting(settings, "authenticator")
    if _setting(settings, "user") is None and str(authenticator or "").lower() not in ("oauth", "jwt"):
        missing.append("user")
    if missing:
        raise TrainingError(
            f"{target.describe()} in {target.profiles_path} lacks {', '.join(missing)} "
            "(set the SNOWFLAKE_* environment variables, see docs/warehouses.md)"
        )
    params: dict[str, Any] = {
        "account": str(settings["account"]).replace("_", "-"),
        "database": str(settings["database"]),
        "schema": str(settings["schema"]),
        "application": "prospect_scoring_train",
        "login_timeout": int(_setting(settings, "connect_timeout") or 60),
        # Bounds the connector's retries, so a failing server cannot hang the run.
        "network_timeout": int(_setting(settings, "network_timeout") or 900),
        "session_parameters": {"QUERY_TAG": "prospect_scoring train/fit.py"},
    }
    for name in ("user", "password", "role", "warehouse", "host", "port", "protocol", "proxy_host", "proxy_port"):
        value = _setting(settings, name)
        if value is not None:
            params[name] = int(value) if name in ("port", "proxy_port") else str(value)
    if authenticator is not None:
        if str(authenticator).lower() == "jwt":
            params.update(authenticator="oauth", token=settings.get("token"))
        else:
            params["authenticator"] = str(authenticator)
            if str(authenticator).lower() == "oauth":
                params["token"] = settings.get("token")
    key_path = _setting(settings, "private_key_path")
    if key_path is not None:
        params["private_key_file"] = str(key_path)
        passphrase = _setting(settings, "private_key_passphrase")
        if passphrase is not None:
            params["private_key_file_pwd"] = str(passphrase)
    elif _setting(settings, "private_key") is not None:
        raise TrainingError(
            f"{target.describe()}: an inline 'private_key' is not supported by the training step; "
            "use private_key_path (SNOWFLAKE_PRIVATE_KEY_PATH)"
        )
    return params


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(getattr(exc, "msg", None) or exc).split())
    return text or type(exc).__name__


class SnowflakeReader(TableReader):
    """Reads tables of a dbt-snowflake target through one connection."""

    def __init__(self, target: TargetConfig) -> None:
        super().__init__(target)
        connector = _import_connector()
        self._errors = connector.errors
        params = connect_params(target)
        self.account = params["account"]
        self.database = params["database"]
        self.schema = params["schema"]
        self._where = f"Snowflake account {self.account}"
        if "host" in params:
            self._where += f" at {params['host']}" + (f":{params['port']}" if "port" in params else "")
        log.debug("connecting to %s", self._where)
        try:
            self._con = connector.connect(**params)
        except Exception as exc:  # connector errors, and network errors (OSError, requests)
            raise TrainingError(
                f"cannot connect to {self._where} ({target.describe()}): {_first_line(exc)}"
            ) from exc

    def location(self) -> str:
        return f"{self._where}, database {self.database} ({self.target.describe()})"

    def qualified_name(self, table: str) -> str:
        return f"{self.database}.{self.schema}.{table}"

    def _sql_name(self, table: str) -> str:
        # dbt-snowflake creates unquoted (case-insensitive) names: stay unquoted
        # unless a name needs quotes.
        return ".".join(_identifier(part) for part in (self.database, self.schema, table))

    def _query_arrow(self, sql: str, table: str) -> pa.Table:
        log.debug("query: %s", sql)
        cursor = self._con.cursor()
        try:
            cursor.execute(sql)
            result = cursor.fetch_arrow_all(force_return_table=True)
        except self._errors.ProgrammingError as exc:
            if getattr(exc, "errno", None) == _DOES_NOT_EXIST or "does not exist" in str(exc).lower():
                raise _Missing() from exc
            raise TrainingError(
                f"reading {self.qualified_name(table)} from {self.location()} failed: {_first_line(exc)}"
            ) from exc
        except self._errors.Error as exc:
            raise TrainingError(
                f"reading {self.qualified_name(table)} from {self.location()} failed: {_first_line(exc)}"
            ) from exc
        finally:
            cursor.close()
        if result is None:  # pragma: no cover - force_return_table always returns a table
            raise TrainingError(f"reading {self.qualified_name(table)} from {self.location()} returned no result")
        return result

    def table_schema(self, table: str) -> pa.Schema | None:
        try:
            return self._query_arrow(f"select * from {self._sql_name(table)} limit 0", table).schema
        except _Missing:
            return None

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
            # HASH(NULL) is not NULL in Snowflake: keep NULLs visible to validation.
            # mod(.., 2**63 - 1) keeps the key a signed 64-bit value on every engine
            # (the fakesnow emulator's HASH is DuckDB's unsigned one).
            key_expression=lambda c: f"case when {c} is null then null else mod(hash({c}), {_INT63}) end",
        )
        try:
            return self._query_arrow(sql, table)
        except _Missing as exc:
            raise TrainingError(
                f"table {self.qualified_name(table)} not found in {self.location()}; run `dbt build` first"
            ) from exc

    def close(self) -> None:
        con, self._con = getattr(self, "_con", None), None
        if con is not None:
            try:
                con.close()
            except Exception:  # noqa: BLE001 - closing a dead connection must not hide the real error
                log.debug("closing the Snowflake connection failed", exc_info=True)


class _Missing(Exception):
    """The table does not exist (or is not visible to the role)."""


def _identifier(name: str) -> str:
    plain = name.replace("_", "").replace("$", "").isalnum() and not name[:1].isdigit()
    return name if plain and name.isascii() else quote_identifier(name)


register_reader("snowflake", SnowflakeReader)
