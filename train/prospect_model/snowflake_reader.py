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
from typing import Any

import pyarrow as pa

from .errors import TrainingError, first_line
from .profiles import TargetConfig
from .readers import SqlTableReader, TableMissing, quote_identifier, register_reader, setting

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install -r requirements.txt -r requirements-snowflake.txt"
_INT63 = 2**63 - 1
#: Snowflake's error number for "object does not exist or not authorized".
_DOES_NOT_EXIST = 2003


def _import_connector() -> Any:
    try:
        import snowflake.connector
    except ImportError as exc:
        raise TrainingError(
            f"the Snowflake client (snowflake-connector-python) is not installed; install it: {INSTALL_HINT}"
        ) from exc
    return snowflake.connector


def connect_params(target: TargetConfig) -> dict[str, Any]:
    """The keyword arguments of ``snowflake.connector.connect`` for ``target`` (the way dbt-snowflake builds them)."""
    settings = target.settings
    missing = [name for name in ("account", "database", "schema") if setting(settings, name) is None]
    authenticator = setting(settings, "authenticator")
    if setting(settings, "user") is None and str(authenticator or "").lower() not in ("oauth", "jwt"):
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
        "login_timeout": int(setting(settings, "connect_timeout") or 60),
        # Bounds the connector's retries, so a failing server cannot hang the run.
        "network_timeout": int(setting(settings, "network_timeout") or 900),
        "session_parameters": {"QUERY_TAG": "prospect_scoring train/fit.py"},
    }
    for name in ("user", "password", "role", "warehouse", "host", "port", "protocol", "proxy_host", "proxy_port"):
        value = setting(settings, name)
        if value is not None:
            params[name] = int(value) if name in ("port", "proxy_port") else str(value)
    if authenticator is not None:
        if str(authenticator).lower() == "jwt":
            params.update(authenticator="oauth", token=settings.get("token"))
        else:
            params["authenticator"] = str(authenticator)
            if str(authenticator).lower() == "oauth":
                params["token"] = settings.get("token")
    key_path = setting(settings, "private_key_path")
    if key_path is not None:
        params["private_key_file"] = str(key_path)
        passphrase = setting(settings, "private_key_passphrase")
        if passphrase is not None:
            params["private_key_file_pwd"] = str(passphrase)
    elif setting(settings, "private_key") is not None:
        raise TrainingError(
            f"{target.describe()}: an inline 'private_key' is not supported by the training step; "
            "use private_key_path (SNOWFLAKE_PRIVATE_KEY_PATH)"
        )
    return params


class SnowflakeReader(SqlTableReader):
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
                f"cannot connect to {self._where} ({target.describe()}): {first_line(exc)}"
            ) from exc

    def location(self) -> str:
        return f"{self._where}, database {self.database} ({self.target.describe()})"

    def qualified_name(self, table: str) -> str:
        return f"{self.database}.{self.schema}.{table}"

    def _sql_name(self, table: str) -> str:
        # dbt-snowflake creates unquoted (case-insensitive) names: stay unquoted
        # unless a name needs quotes.
        return ".".join(_identifier(part) for part in (self.database, self.schema, table))

    def _key_expression(self, quoted: str) -> str:
        # HASH(NULL) is not NULL in Snowflake: keep NULLs visible to validation.
        # mod(.., 2**63 - 1) keeps the key a signed 64-bit value on every engine
        # (the fakesnow emulator's HASH is DuckDB's unsigned one).
        return f"case when {quoted} is null then null else mod(hash({quoted}), {_INT63}) end"

    def _run_query(self, sql: str) -> pa.Table:
        cursor = self._con.cursor()
        try:
            cursor.execute(sql)
            result = cursor.fetch_arrow_all(force_return_table=True)
        except self._errors.ProgrammingError as exc:
            if getattr(exc, "errno", None) == _DOES_NOT_EXIST or "does not exist" in str(exc).lower():
                raise TableMissing() from exc
            raise
        finally:
            cursor.close()
        if result is None:  # pragma: no cover - force_return_table always returns a table
            raise TrainingError(f"a query on {self.location()} returned no result")
        return result

    def close(self) -> None:
        con, self._con = getattr(self, "_con", None), None
        if con is not None:
            try:
                con.close()
            except Exception:
                log.debug("closing the Snowflake connection failed", exc_info=True)


def _identifier(name: str) -> str:
    plain = name.replace("_", "").replace("$", "").isalnum() and not name[:1].isdigit()
    return name if plain and name.isascii() else quote_identifier(name)


register_reader("snowflake", SnowflakeReader)
