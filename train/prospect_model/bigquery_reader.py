"""The BigQuery reader (dbt-bigquery targets), through google-cloud-bigquery.

The connection settings are the dbt target's, rendered from ``profiles.yml``
(so from the environment, see docs/warehouses.md): ``method`` (``oauth`` =
application-default credentials, ``service-account`` with ``keyfile``,
``service-account-json`` with ``keyfile_json``, ``oauth-secrets`` with ``token``
and optionally a refresh token), ``project`` (or ``database``), ``dataset`` (or
``schema``), ``location``, ``execution_project`` and optionally ``api_endpoint``
(an emulator). Query results are read with ``to_arrow`` over the REST API (no
BigQuery Storage client needed).

The client is an optional install (``requirements-bigquery.txt``); without it
the reader raises a one-line "install it" error.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from .errors import TrainingError, first_line
from .profiles import TargetConfig
from .readers import SqlTableReader, TableMissing, register_reader, setting

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install -r requirements.txt -r requirements-bigquery.txt"
SCOPES = (
    "https://www.googleapis.com/auth/bigquery",
    "https://www.googleapis.com/auth/cloud-platform",
)


def _import_client() -> Any:
    try:
        from google.cloud import bigquery
    except ImportError as exc:
        raise TrainingError(
            f"the BigQuery client (google-cloud-bigquery) is not installed; install it: {INSTALL_HINT}"
        ) from exc
    return bigquery


def google_credentials(target: TargetConfig) -> Any:
    """Google credentials for the target's ``method`` (the way dbt-bigquery makes them)."""
    settings = target.settings
    method = str(setting(settings, "method") or "").lower()
    if setting(settings, "impersonate_service_account") is not None:
        raise TrainingError(
            f"{target.describe()}: impersonate_service_account is not supported by the training step; "
            "use a method that authenticates as the reading identity directly"
        )
    try:
        if method == "oauth":
            import google.auth

            credentials, _ = google.auth.default(scopes=list(SCOPES))
            return credentials
        if method == "service-account":
            from google.oauth2 import service_account

            keyfile = setting(settings, "keyfile")
            if keyfile is None:
                raise TrainingError(f"{target.describe()}: method service-account needs keyfile (BIGQUERY_KEYFILE)")
            return service_account.Credentials.from_service_account_file(str(keyfile), scopes=list(SCOPES))
        if method == "service-account-json":
            from google.oauth2 import service_account

            info = settings.get("keyfile_json")
            if not isinstance(info, Mapping):
                raise TrainingError(f"{target.describe()}: method service-account-json needs keyfile_json")
            return service_account.Credentials.from_service_account_info(dict(info), scopes=list(SCOPES))
        if method == "oauth-secrets":
            from google.oauth2.credentials import Credentials

            token = setting(settings, "token")
            refresh_token = setting(settings, "refresh_token")
            if token is None and refresh_token is None:
                raise TrainingError(f"{target.describe()}: method oauth-secrets needs token (BIGQUERY_TOKEN)")
            return Credentials(
                token=token,
                refresh_token=refresh_token,
                client_id=setting(settings, "client_id"),
                client_secret=setting(settings, "client_secret"),
                token_uri=setting(settings, "token_uri"),
                scopes=list(SCOPES),
            )
    except TrainingError:
        raise
    except Exception as exc:  # DefaultCredentialsError, unreadable key file, ...
        raise TrainingError(
            f"no usable Google credentials for {target.describe()} (method {method}): {first_line(exc)}"
        ) from exc
    raise TrainingError(
        f"{target.describe()}: unsupported BigQuery method {method or '(none)'!r} "
        "(use oauth, service-account, service-account-json or oauth-secrets)"
    )


class BigQueryReader(SqlTableReader):
    """Reads tables of a dbt-bigquery target through one client."""

    def __init__(self, target: TargetConfig) -> None:
        super().__init__(target)
        bigquery = _import_client()
        from google.api_core import exceptions as api_exceptions

        self._bigquery = bigquery
        self._hash_keys = True
        self._api_errors = api_exceptions
        settings = target.settings
        self.project = setting(settings, "project", "database")
        self.dataset = setting(settings, "dataset", "schema")
        missing = [name for name, value in (("project", self.project), ("dataset", self.dataset)) if value is None]
        if missing:
            raise TrainingError(
                f"{target.describe()} in {target.profiles_path} lacks {', '.join(missing)} "
                "(set the BIGQUERY_* environment variables, see docs/warehouses.md)"
            )
        self.project, self.dataset = str(self.project), str(self.dataset)
        self.location_name = setting(settings, "location")
        self.api_endpoint = setting(settings, "api_endpoint")
        retries = settings.get("job_retries", 1)
        deadline = float(setting(settings, "job_retry_deadline_seconds") or 120)
        self._retry = None if retries in (0, "0") else bigquery.DEFAULT_RETRY.with_deadline(deadline)
        self._timeout = float(setting(settings, "job_execution_timeout_seconds") or 600)
        credentials = google_credentials(target)
        client_options = {"api_endpoint": str(self.api_endpoint)} if self.api_endpoint else None
        where = f"BigQuery project {self.project}"
        self._where = f"{where} at {self.api_endpoint}" if self.api_endpoint else where
        try:
            self._client = bigquery.Client(
                project=str(setting(settings, "execution_project") or self.project),
                credentials=credentials,
                location=self.location_name,
                client_options=client_options,
            )
            # Fail here, with one line, when the service cannot be reached or refuses us.
            self._client.get_dataset(f"{self.project}.{self.dataset}", retry=self._retry, timeout=60)
        except api_exceptions.NotFound:
            log.debug("dataset %s.%s does not exist (yet)", self.project, self.dataset)
        except Exception as exc:  # connection refused, auth errors, ...
            raise TrainingError(
                f"cannot connect to {self._where} ({target.describe()}): {first_line(exc)}"
            ) from exc

    def location(self) -> str:
        return f"{self._where}, dataset {self.dataset} ({self.target.describe()})"

    def qualified_name(self, table: str) -> str:
        return f"{self.project}.{self.dataset}.{table}"

    def _sql_name(self, table: str) -> str:
        return _quote(f"{self.project}.{self.dataset}.{table}")

    true_test = " is true"

    def _quote(self, name: str) -> str:
        return _quote(name)

    def _key_expression(self, quoted: str) -> str:
        # FARM_FINGERPRINT(NULL) is NULL; the cast makes any column type hashable.
        return f"farm_fingerprint(cast({quoted} as string))"

    def _run_query(self, sql: str) -> pa.Table:
        try:
            job = self._client.query(sql, location=self.location_name, retry=self._retry, job_retry=None)
            return job.result(timeout=self._timeout).to_arrow(create_bqstorage_client=False)
        except self._api_errors.NotFound as exc:
            raise TableMissing() from exc

    def table_schema(self, table: str) -> pa.Schema | None:
        try:
            self._client.get_table(f"{self.project}.{self.dataset}.{table}", retry=self._retry, timeout=60)
        except self._api_errors.NotFound:
            return None
        except Exception as exc:
            raise self._failed(table, exc) from exc
        return super().table_schema(table)

    def read_table(
        self,
        table: str,
        columns: Sequence[str] | None = None,
        *,
        where_true: str | None = None,
        order_by: Sequence[str] = (),
        key_columns: Sequence[str] = (),
    ) -> pa.Table:
        if columns is None and key_columns:
            raise ValueError("key_columns needs an explicit column list")
        keys = key_columns if self._hash_keys else ()
        try:
            return super().read_table(table, columns, where_true=where_true, order_by=order_by, key_columns=keys)
        except TrainingError as exc:
            # An engine without FARM_FINGERPRINT (the crucible emulator): read the key
            # columns as they are; only their equality matters to the caller.
            if not (keys and "farm_fingerprint" in str(exc).lower()):
                raise
            log.warning("FARM_FINGERPRINT is not available on %s: reading %s unhashed", self._where, ", ".join(keys))
            self._hash_keys = False
            return self.read_table(table, columns, where_true=where_true, order_by=order_by, key_columns=key_columns)

    def close(self) -> None:
        client, self._client = getattr(self, "_client", None), None
        if client is not None:
            client.close()


def _quote(name: str) -> str:
    """Quote a BigQuery identifier (or dotted path) with backticks."""
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


register_reader("bigquery", BigQueryReader)
