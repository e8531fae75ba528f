"""The Databricks reader (dbt-databricks targets), through databricks-sql-connector.

The connection settings are the dbt target's, rendered from ``profiles.yml``
(so from the environment, see docs/warehouses.md): ``host`` (the workspace,
``adb-….azuredatabricks.net``, with or without ``https://``, optionally
``:port``), ``http_path`` (the SQL warehouse or cluster), ``token`` (a personal
access token or a service principal's), ``catalog`` and ``schema``. Tables are
read with ``cursor.fetchall_arrow()`` (Arrow end to end). Connection retries are
bounded by the target's ``connect_retries`` / ``connect_timeout``, so an
unreachable workspace fails in seconds, not after the connector's 15 minutes.

The connector is an optional install in an environment of its own
(``requirements-databricks.txt``); without it the reader raises a one-line
"install it" error.
"""

from __future__ import annotations

import logging
from typing import Any

import pyarrow as pa

from .errors import TrainingError, first_line
from .profiles import TargetConfig
from .readers import register_reader, setting
from .spark_reader import SparkSqlReader, quote_identifier

log = logging.getLogger(__name__)

INSTALL_HINT = "python -m venv .venv-databricks && .venv-databricks/bin/pip install -r requirements-databricks.txt"


def _import_connector() -> Any:
    try:
        from databricks import sql  # optional dependency
    except ImportError as exc:
        raise TrainingError(
            f"the Databricks client (databricks-sql-connector) is not installed; install it: {INSTALL_HINT}"
        ) from exc
    return sql


def connect_params(target: TargetConfig) -> dict[str, Any]:
    """The keyword arguments of ``databricks.sql.connect`` for ``target``."""
    settings = target.settings
    missing = [name for name in ("host", "http_path", "token", "schema") if setting(settings, name) is None]
    if missing:
        raise TrainingError(
            f"{target.describe()} in {target.profiles_path} lacks {', '.join(missing)} "
            "(set the DATABRICKS_* environment variables, see docs/warehouses.md)"
        )
    host = str(settings["host"]).strip().removeprefix("https://").removeprefix("http://").rstrip("/")
    params: dict[str, Any] = {
        "server_hostname": host,
        "http_path": str(settings["http_path"]),
        "access_token": str(settings["token"]),
        "schema": str(settings["schema"]),
        "user_agent_entry": "prospect_scoring-train",
        "_retry_stop_after_attempts_count": max(1, int(setting(settings, "connect_retries") or 1)),
        "_retry_stop_after_attempts_duration": float(setting(settings, "connect_timeout") or 30),
        "_socket_timeout": float(setting(settings, "connect_timeout") or 30),
        "enable_telemetry": False,
    }
    if ":" in host:
        name, _, port = host.rpartition(":")
        if not port.isdigit():
            raise TrainingError(f"{target.describe()}: host {host!r} is not host[:port] (DATABRICKS_HOST)")
        params.update(server_hostname=name, _port=int(port))
    catalog = setting(settings, "catalog") or setting(settings, "database")
    if catalog is not None:
        params["catalog"] = str(catalog)
    return params


class DatabricksReader(SparkSqlReader):
    """Reads tables of a dbt-databricks target through one SQL connection."""

    #: Databricks' error classes of a table, schema or catalog that does not exist.
    not_found_classes = ("TABLE_OR_VIEW_NOT_FOUND", "SCHEMA_NOT_FOUND", "NO_SUCH_CATALOG_EXCEPTION")

    def __init__(self, target: TargetConfig) -> None:
        super().__init__(target)
        params = connect_params(target)
        sql = _import_connector()
        self.catalog = params.get("catalog")
        self.schema = params["schema"]
        self._where = f"Databricks workspace {params['server_hostname']}" + (
            f":{params['_port']}" if "_port" in params else ""
        )
        log.debug("connecting to %s (%s)", self._where, params["http_path"])
        try:
            self._con = sql.connect(**params)
        except Exception as exc:  # connector errors, and network errors (OSError, urllib3)
            raise TrainingError(f"cannot connect to {self._where} ({target.describe()}): {first_line(exc)}") from exc

    def location(self) -> str:
        catalog = f", catalog {self.catalog}" if self.catalog else ""
        return f"{self._where}{catalog} ({self.target.describe()})"

    def qualified_name(self, table: str) -> str:
        return ".".join(part for part in (self.catalog, self.schema, table) if part)

    def _sql_name(self, table: str) -> str:
        return ".".join(quote_identifier(part) for part in (self.catalog, self.schema, table) if part)

    def _execute(self, sql: str) -> pa.Table:
        with self._con.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall_arrow()

    def close(self) -> None:
        con, self._con = getattr(self, "_con", None), None
        if con is not None:
            try:
                con.close()
            except Exception:  # closing a dead connection must not hide the real error
                log.debug("closing the Databricks connection failed", exc_info=True)


register_reader("databricks", DatabricksReader)
