"""The Spark reader (dbt-spark targets, ``method: session``), through PySpark.

The training step starts its own local SparkSession from the dbt target's
settings: the profile's ``server_side_parameters`` are the Spark configuration
(master, warehouse directory, Derby metastore, temporary directories, session
time zone: see ``profiles.yml``), so it reads exactly the tables ``dbt build``
wrote, under the same local root, and writes nothing elsewhere. Tables are read
with ``DataFrame.toArrow()`` (Spark 4.0+; Arrow end to end).

A Derby metastore allows one JVM at a time: run ``dbt`` and ``train/fit.py`` one
after the other. Targets of the other dbt-spark methods (thrift, http, odbc: a
remote cluster) are not read by this module; for Databricks use the
``databricks`` target (``databricks_reader.py``).

PySpark is an optional install (``requirements-spark.txt``); without it, or
without Java, the reader raises a one-line error saying what to install.
"""

from __future__ import annotations

import logging
import os
from abc import abstractmethod
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from .errors import TrainingError, first_line
from .profiles import TargetConfig
from .readers import SqlTableReader, TableMissing, register_reader

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install -r requirements.txt -r requirements-spark.txt"


def _import_pyspark() -> Any:
    try:
        from pyspark.sql import SparkSession  # optional dependency
    except ImportError as exc:
        raise TrainingError(f"PySpark is not installed; install it: {INSTALL_HINT}") from exc
    return SparkSession


def quote_identifier(name: str) -> str:
    """Quote an identifier for Spark SQL (backticks)."""
    return "`" + name.replace("`", "``") + "`"


def spark_conf(target: TargetConfig) -> dict[str, str]:
    """The Spark configuration of ``target``: its ``server_side_parameters``, as strings."""
    method = str(target.settings.get("method") or "").lower()
    if method != "session":
        raise TrainingError(
            f"{target.describe()}: the training step reads dbt-spark targets of method 'session' "
            f"(a local Spark) only, not '{method or '(none)'}'; for Databricks use a databricks target"
        )
    params = target.settings.get("server_side_parameters") or {}
    if not isinstance(params, Mapping):
        raise TrainingError(f"{target.describe()}: server_side_parameters must be a mapping")
    return {str(key): str(value) for key, value in params.items()}


def _make_local_dirs(conf: Mapping[str, str]) -> None:
    """Create the local directories the configuration names (Spark expects some to exist)."""
    for key in ("spark.local.dir", "spark.sql.warehouse.dir"):
        if conf.get(key):
            os.makedirs(conf[key], exist_ok=True)
    for option in conf.get("spark.driver.extraJavaOptions", "").split():
        if option.startswith("-Djava.io.tmpdir="):
            os.makedirs(option.split("=", 1)[1], exist_ok=True)


class SparkSqlReader(SqlTableReader):
    """What the Spark SQL readers (local Spark, Databricks) share: backtick quoting,
    ``xxhash64`` keys (a 64-bit hash of Spark and Databricks; NULL stays NULL), an explicit
    ``is true`` on the row filter, and Spark's error classes of a missing table.

    A subclass runs the query (:meth:`_execute`); this class turns an error that names
    one of :attr:`not_found_classes` into :class:`TableMissing`.
    """

    #: The error classes (found in the error's text) of a table, schema or catalog that does not exist.
    not_found_classes: tuple[str, ...] = ("TABLE_OR_VIEW_NOT_FOUND", "SCHEMA_NOT_FOUND")
    true_test = " is true"

    def _quote(self, name: str) -> str:
        return quote_identifier(name)

    def _key_expression(self, quoted: str) -> str:
        return f"case when {quoted} is null then null else xxhash64({quoted}) end"

    @abstractmethod
    def _execute(self, sql: str) -> pa.Table:
        """Run ``sql`` and return its result as Arrow (the client's errors propagate)."""

    def _run_query(self, sql: str) -> pa.Table:
        try:
            return self._execute(sql)
        except Exception as exc:  # AnalysisException, Py4JJavaError, the connector's errors, ...
            if any(name in str(exc) for name in self.not_found_classes):
                raise TableMissing() from exc
            raise


class SparkReader(SparkSqlReader):
    """Reads tables of a dbt-spark session target through one local SparkSession."""

    def __init__(self, target: TargetConfig, session: Any | None = None) -> None:
        super().__init__(target)
        schema = target.settings.get("schema")
        if not schema:
            raise TrainingError(f"{target.describe()} in {target.profiles_path} lacks schema (SPARK_SCHEMA)")
        self.schema = str(schema)
        conf = spark_conf(target)
        self.warehouse_dir = conf.get("spark.sql.warehouse.dir", "spark-warehouse")
        self._where = f"local Spark (warehouse {self.warehouse_dir})"
        if session is None:
            session = self._start(conf)
        self._spark = session

    def _start(self, conf: Mapping[str, str]) -> Any:
        spark_session = _import_pyspark()
        _make_local_dirs(conf)
        builder = spark_session.builder.appName("prospect_scoring train/fit.py")
        if conf.get("spark.sql.catalogImplementation", "hive") == "hive":
            builder = builder.enableHiveSupport()
        for key, value in conf.items():
            builder = builder.config(key, value)
        log.debug("starting %s", self._where)
        try:
            session = builder.getOrCreate()
        except Exception as exc:  # no Java, a locked Derby metastore, a bad setting
            hint = ("is Java 17+ installed (JAVA_HOME)?" if "JAVA" in str(exc).upper()
                    else "is another Spark (dbt) running on this metastore?")
            where = f"{self._where} ({self.target.describe()})"
            raise TrainingError(f"cannot start {where}: {first_line(exc)}; {hint}") from exc
        session.sparkContext.setLogLevel("ERROR")
        return session

    @property
    def session(self) -> Any:
        """The SparkSession (shared by readers of other schemas of the same local Spark)."""
        return self._spark

    def location(self) -> str:
        return f"{self._where} ({self.target.describe()})"

    def qualified_name(self, table: str) -> str:
        return f"{self.schema}.{table}"

    def _sql_name(self, table: str) -> str:
        return f"{quote_identifier(self.schema)}.{quote_identifier(table)}"

    def _execute(self, sql: str) -> pa.Table:
        return self._spark.sql(sql).toArrow()

    def close(self) -> None:
        spark, self._spark = getattr(self, "_spark", None), None
        if spark is not None:
            try:
                spark.stop()
            except Exception:  # stopping must not hide the real error
                log.debug("stopping the SparkSession failed", exc_info=True)


register_reader("spark", SparkReader)
