"""Export the model's features to Snowplow Signals: ``prospect-signals export [--publish]``.

Reads ``metadata.json`` of a trained model (its ``feature_contract``: each
feature's Signals definition, rendered by dbt from the same var that defines the
column of ``final_training``), builds with the Signals SDK's own pydantic models
(``snowplow-signals``, installed from ``requirements-signals.txt``)

* a :class:`~snowplow_signals.StreamAttributeGroup` keyed on ``domain_userid``
  whose attributes are those definitions, in feature order, and
* a :class:`~snowplow_signals.Service` over that group (what the scoring server
  reads a visitor's attributes from),

validates them (the SDK's models; a definition with fields the SDK does not know
is refused, not silently dropped) and writes them as JSON
(``model_dump(mode="json", exclude_none=True, by_alias=True)``, what the SDK
sends), atomically. Fully offline.

``--publish`` then publishes both with the SDK (``Signals.publish``) when the
credentials are in the environment (see :data:`CREDENTIAL_ENV`); without them it
stops with one line naming the missing variables. Exit status: 0, 2 for bad
input or configuration, 1 for an unexpected error (or a failed publish).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cli_support import OneLineParser, UsageError, configure_logging, positive_int, run_reported
from .errors import EXIT_BAD_INPUT
from .serving import DEFAULT_MODEL_DIR, ENTITY_KEY, METADATA_FILE, MODEL_DIR_ENV, ServingError

log = logging.getLogger("prospect_model.signals_export")  # not __name__: also under python -m

DEFAULT_GROUP_NAME = "prospect_scoring"
DEFAULT_GROUP_VERSION = 1
DEFAULT_SERVICE_NAME = "prospect_scoring"
EXPORT_FILE = "signals_export.json"
EXPORT_FORMAT = "prospect-signals-export/1"
ATTRIBUTE_KEY = ENTITY_KEY

API_URL_ENV = "SNOWPLOW_SIGNALS_API_URL"
#: The Signals SDK's ``Signals(api_url, api_key, api_key_id, org_id)``, from these variables.
CREDENTIAL_ENV: dict[str, str] = {
    "api_url": API_URL_ENV,
    "api_key": "SNOWPLOW_SIGNALS_API_KEY",
    "api_key_id": "SNOWPLOW_SIGNALS_API_KEY_ID",
    "org_id": "SNOWPLOW_SIGNALS_ORG_ID",
}
#: ``SignalsSandbox(api_url, sandbox_token)`` instead, when this variable is set.
SANDBOX_TOKEN_ENV = "SNOWPLOW_SIGNALS_SANDBOX_TOKEN"
OWNER_ENV = "SNOWPLOW_SIGNALS_OWNER"

SDK_MISSING = (
    "the Snowplow Signals SDK (snowplow-signals) is not installed in this environment; "
    "create its environment with `bash scripts/emulators/setup.sh signals` (or `make warehouse-envs`) "
    "and run `.venv-signals/bin/prospect-signals` instead"
)


class ExportError(ServingError):
    """Bad input or configuration of the export; one-line message."""


def _sdk() -> Any:
    try:
        import snowplow_signals
    except ImportError as exc:
        raise ExportError(SDK_MISSING) from exc
    return snowplow_signals


# --------------------------------------------------------------------------- building


@dataclass
class SignalsExport:
    """The SDK objects built from a model's feature contract."""

    attribute_group: Any
    service: Any
    features: list[str]

    def as_json(self, model_version: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The export document: the two objects as the SDK serialises them, plus provenance."""
        dump = {"mode": "json", "exclude_none": True, "by_alias": True}
        return {
            "format": EXPORT_FORMAT,
            "sdk": {"package": "snowplow-signals", "version": _sdk_version()},
            "model": dict(model_version or {}),
            "features": self.features,
            "attribute_group": self.attribute_group.model_dump(**dump),
            "service": self.service.model_dump(**dump),
        }


def _sdk_version() -> str | None:
    from importlib import metadata

    try:
        return metadata.version("snowplow-signals")
    except metadata.PackageNotFoundError:
        return None


def _validation_message(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        parts = []
        for error in errors()[:3]:
            where = ".".join(str(p) for p in error.get("loc", ())) or "(root)"
            parts.append(f"{where}: {error.get('msg')}")
        return "; ".join(parts)
    return " ".join(str(exc).split())


def _unknown_keys(given: Any, dumped: Any, path: str = "") -> list[str]:
    """Keys of ``given`` (recursively) that the SDK's model did not keep."""
    unknown: list[str] = []
    if isinstance(given, dict) and isinstance(dumped, dict):
        for key, value in given.items():
            if key not in dumped:
                if value is not None:
                    unknown.append(f"{path}{key}")
            else:
                unknown += _unknown_keys(value, dumped[key], f"{path}{key}.")
    elif isinstance(given, list) and isinstance(dumped, list) and len(given) == len(dumped):
        for i, (a, b) in enumerate(zip(given, dumped, strict=True)):
            unknown += _unknown_keys(a, b, f"{path}{i}.")
    return unknown


def build_attribute(feature: str, definition: Mapping[str, Any]) -> Any:
    """One attribute, validated by the SDK's ``Attribute`` (unknown fields are an error)."""
    sdk = _sdk()
    if definition.get("name") not in (None, feature):
        raise ExportError(
            f"the Signals definition of feature {feature} is named {definition.get('name')!r}; "
            "the attribute must have the feature's name"
        )
    try:
        attribute = sdk.Attribute.model_validate({**definition, "name": feature})
    except Exception as exc:  # pydantic.ValidationError
        raise ExportError(
            f"the Signals definition of feature {feature} is not valid for snowplow-signals "
            f"{_sdk_version()}: {_validation_message(exc)}"
        ) from exc
    unknown = _unknown_keys(dict(definition), attribute.model_dump(mode="json", by_alias=True))
    if unknown:
        raise ExportError(
            f"the Signals definition of feature {feature} has fields the SDK does not know: "
            f"{', '.join(unknown)}"
        )
    return attribute


def build_export(
    contract: Sequence[Mapping[str, Any]],
    *,
    group_name: str = DEFAULT_GROUP_NAME,
    group_version: int = DEFAULT_GROUP_VERSION,
    service_name: str = DEFAULT_SERVICE_NAME,
    owner: str,
    description: str | None = None,
) -> SignalsExport:
    """The attribute group and service of the features in ``contract`` (metadata's feature_contract)."""
    sdk = _sdk()
    attributes, features, undefined = [], [], []
    for entry in contract:
        name = str(entry.get("name"))
        definition = entry.get("signals_definition")
        if isinstance(definition, str):
            try:
                definition = json.loads(definition)
            except json.JSONDecodeError as exc:
                raise ExportError(f"signals_definition of feature {name} is not JSON: {exc}") from exc
        if definition is None:
            undefined.append(name)
            continue
        if not isinstance(definition, dict):
            raise ExportError(f"signals_definition of feature {name} must be a JSON object")
        if not definition.get("description") and entry.get("description"):
            definition = {**definition, "description": str(entry["description"])}
        attributes.append(build_attribute(name, definition))
        features.append(name)
    if undefined:
        raise ExportError(
            f"feature(s) {', '.join(undefined)} have no Signals definition (signals_definition is null "
            "in the contract), so Signals cannot compute them for serving; define them as Signals "
            "attributes in the catalog, or train without them"
        )
    if not attributes:
        raise ExportError("the model's feature_contract lists no features")
    try:
        group = sdk.StreamAttributeGroup(
            name=group_name,
            version=group_version,
            attribute_key=sdk.domain_userid,
            owner=owner,
            description=description,
            attributes=attributes,
        )
        service = sdk.Service(
            name=service_name,
            owner=owner,
            description=description,
            attribute_groups=[group],
        )
    except Exception as exc:  # pydantic.ValidationError
        raise ExportError(f"invalid attribute group or service: {_validation_message(exc)}") from exc
    return SignalsExport(attribute_group=group, service=service, features=features)


def read_metadata(model_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """``metadata.json`` of the model folder (must have a feature_contract)."""
    path = Path(model_dir) / METADATA_FILE
    if not path.is_file():
        raise ExportError(
            f"{path} not found; train first (python train/fit.py --output-dir {model_dir}) or pass "
            "--model-dir"
        )
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError(f"cannot read {path}: {exc}") from exc
    contract = metadata.get("feature_contract") if isinstance(metadata, dict) else None
    if not isinstance(contract, list) or not contract:
        raise ExportError(
            f"{path} has no feature_contract (the features the model was trained on); retrain with "
            "this project's train/fit.py"
        )
    return metadata


def model_version(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Provenance recorded in the export (when and on what the model was trained)."""
    fingerprint = metadata.get("data_fingerprint")
    model = metadata.get("model") if isinstance(metadata.get("model"), dict) else {}
    return {
        "trained_at": metadata.get("trained_at_utc") or metadata.get("trained_at"),
        "data_fingerprint": fingerprint.get("sha256") if isinstance(fingerprint, dict) else fingerprint,
        "kind": model.get("kind"),  # type: ignore[union-attr]
        "target": metadata.get("target"),
    }


def write_json_atomically(path: Path, document: Mapping[str, Any]) -> Path:
    """Write ``document`` as indented JSON to ``path`` (temp file in the same folder + rename)."""
    from .artifacts import atomic_write_bytes
    from .errors import TrainingError

    data = (json.dumps(document, indent=2, sort_keys=False) + "\n").encode("utf-8")
    try:
        return atomic_write_bytes(path, data)
    except TrainingError as exc:
        raise ExportError(str(exc)) from exc


# --------------------------------------------------------------------------- Signals client


def missing_credentials(env: Mapping[str, str] | None = None) -> list[str]:
    """The environment variables still needed for a Signals client ([] = configured)."""
    env = os.environ if env is None else env
    if not env.get(API_URL_ENV):
        return [API_URL_ENV] + (
            [] if env.get(SANDBOX_TOKEN_ENV) else
            [v for k, v in CREDENTIAL_ENV.items() if k != "api_url" and not env.get(v)]
        )
    if env.get(SANDBOX_TOKEN_ENV):
        return []
    return [v for v in CREDENTIAL_ENV.values() if not env.get(v)]


def signals_client_from_env(env: Mapping[str, str] | None = None) -> Any:
    """A Signals SDK client from the environment (:data:`CREDENTIAL_ENV`, or the sandbox token)."""
    env = os.environ if env is None else env
    missing = missing_credentials(env)
    if missing:
        raise ExportError(
            f"Signals credentials are not set: missing {', '.join(missing)} "
            f"(or set {API_URL_ENV} and {SANDBOX_TOKEN_ENV} for a Signals sandbox)"
        )
    sdk = _sdk()
    if env.get(SANDBOX_TOKEN_ENV):
        return sdk.SignalsSandbox(api_url=env[API_URL_ENV], sandbox_token=env[SANDBOX_TOKEN_ENV])
    return sdk.Signals(**{arg: env[name] for arg, name in CREDENTIAL_ENV.items()})


def publish(export: SignalsExport, client: Any) -> list[Any]:
    """Publish the attribute group and the service (the SDK publishes groups before services)."""
    sdk = _sdk()
    import httpx  # the SDK's HTTP client

    try:
        return list(client.publish([export.attribute_group, export.service]))
    except sdk.SignalsAPIError as exc:
        raise ExportError(f"Signals refused the publish: {' '.join(str(exc).split())[:300]}") from exc
    except httpx.HTTPError as exc:
        raise ExportError(f"cannot reach Signals to publish: {type(exc).__name__}: {exc}") from exc


# --------------------------------------------------------------------------- command line


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (``--help`` documents every option)."""
    parser = OneLineParser(
        prog="prospect-signals",
        description=(
            "Snowplow Signals definitions of the features a model was trained on, built and "
            "validated with the Signals SDK."
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=OneLineParser)
    export = commands.add_parser(
        "export",
        help="write the attribute group and service as JSON (offline); --publish also publishes them",
        description=(
            "Write a StreamAttributeGroup (attribute key domain_userid) of the model's features and a "
            "Service over it as JSON, built and validated with the Signals SDK's models. Offline "
            f"unless --publish. Credentials for --publish: {', '.join(CREDENTIAL_ENV.values())} "
            f"(or {API_URL_ENV} and {SANDBOX_TOKEN_ENV})."
        ),
        epilog="Exit status: 0 success, 2 bad input or configuration (one 'error:' line), 1 failure.",
    )
    export.add_argument(
        "--model-dir", default=None, metavar="DIR",
        help=f"folder with metadata.json of the trained model (default: ${MODEL_DIR_ENV}, else {DEFAULT_MODEL_DIR}).",
    )
    export.add_argument(
        "--output", default=None, metavar="FILE",
        help=f"JSON file to write (default: {EXPORT_FILE} in the model folder); '-' writes to stdout.",
    )
    export.add_argument("--group-name", default=DEFAULT_GROUP_NAME, metavar="NAME",
                        help=f"name of the attribute group (default: {DEFAULT_GROUP_NAME}).")
    export.add_argument("--group-version", default=DEFAULT_GROUP_VERSION, type=positive_int, metavar="N",
                        help=f"version of the attribute group (default: {DEFAULT_GROUP_VERSION}).")
    export.add_argument("--service-name", default=DEFAULT_SERVICE_NAME, metavar="NAME",
                        help=f"name of the service (default: {DEFAULT_SERVICE_NAME}).")
    export.add_argument("--owner", default=None, metavar="EMAIL",
                        help=f"owner e-mail of the group and service (required by Signals; default: ${OWNER_ENV}).")
    export.add_argument("--description", default=None, metavar="TEXT",
                        help="description of the group and service (default: names the model's target).")
    export.add_argument("--publish", action="store_true",
                        help="also publish the group and service to Signals "
                             "(needs the credentials in the environment).")
    export.add_argument("--verbose", action="store_true", help="debug logging and tracebacks.")
    return parser


def run_export(args: argparse.Namespace) -> dict[str, Any]:
    """The ``export`` command; returns the document written."""
    model_dir = args.model_dir or os.environ.get(MODEL_DIR_ENV) or DEFAULT_MODEL_DIR
    owner = args.owner or os.environ.get(OWNER_ENV)
    if not owner:
        raise ExportError(f"--owner (an e-mail) is required by Signals; pass --owner or set {OWNER_ENV}")
    client = None
    if args.publish:  # check the credentials before doing anything
        missing = missing_credentials()
        if missing:
            raise ExportError(
                f"--publish needs the Signals credentials in the environment: missing {', '.join(missing)}"
            )
    metadata = read_metadata(model_dir)
    target = metadata.get("target")
    description = args.description or (
        f"Features of the prospect-scoring model ({target})" if target else "Features of the prospect-scoring model"
    )
    export = build_export(
        metadata["feature_contract"], group_name=args.group_name, group_version=args.group_version,
        service_name=args.service_name, owner=owner, description=description,
    )
    document = export.as_json(model_version(metadata))
    if args.output == "-":
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        path = Path(args.output) if args.output else Path(model_dir) / EXPORT_FILE
        write_json_atomically(path, document)
        log.info("wrote %s (attribute group %s v%d with %d attributes, service %s)",
                 path, args.group_name, args.group_version, len(export.features), args.service_name)
    if args.publish:
        client = signals_client_from_env()
        published = publish(export, client)
        log.info("published %d objects to Signals at %s", len(published), os.environ[API_URL_ENV])
    return document


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``prospect-signals``; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"error: {exc} (see prospect-signals --help)", file=sys.stderr)
        return EXIT_BAD_INPUT
    configure_logging(args.verbose, "%(message)s")
    return run_reported(lambda: run_export(args), (ExportError,), verbose=args.verbose, what="export")


def entry() -> None:
    """Console script ``prospect-signals``."""
    sys.exit(main())


if __name__ == "__main__":
    sys.exit(main())
