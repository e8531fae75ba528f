"""The column contract: ``final_training_columns`` -> :class:`FeatureSpec`.

The table rendered by dbt has one row per column of ``final_training``:
``column_name``, ``column_role`` (``identifier``, ``feature``, ``target``,
``label_maturity``), ``ordinal``, ``description`` and, for features, how they
are made and served: ``feature_kind`` (``numeric``, ``boolean``,
``categorical``, or ``timestamp``: not a model input), ``data_type``, ``aggregation`` (a Snowplow Signals
aggregation such as ``counter``), ``default_value`` (the value of an attribute
that has none yet, as text), ``serving_transform`` and ``signals_definition``
(JSON). Every row also carries the build that wrote it (``build_invocation_id``)
and the number of ``final_training`` rows it saw (``training_row_count``), so the
training step can check that the contract and the table come from one build.

Features are the rows with role ``feature`` in ``ordinal`` order. A timestamp
attribute (an absolute time, kind ``timestamp``) is left out of the model with
a warning (:attr:`FeatureSpec.excluded`): the model takes numbers, booleans and
categories, and an absolute time would tie it to the calendar of its training
data; ``time_since_first`` / ``time_since_last`` attributes give the time since
an event. Older contracts without ``feature_kind`` are read too: the kind then
follows from the column's type in the table (see :func:`infer_kind`).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field, replace
from typing import Any

import pyarrow as pa

from .defaults import DEFAULT_COLUMNS_TABLE
from .errors import TrainingError
from .readers import TableReader

log = logging.getLogger(__name__)

ROLES = ("identifier", "feature", "target", "label_maturity")
FEATURE_KINDS = ("numeric", "boolean", "categorical")
#: Kinds of the contract that are not model inputs: left out of the model, with the reason.
EXCLUDED_KINDS = {
    "timestamp": "a timestamp (an absolute time): the model takes numbers, booleans and categories; "
                 "for the time since an event define a time_since_first / time_since_last attribute",
}
#: Optional per-feature columns of the contract (text; NULL = not given).
FEATURE_ATTRIBUTES = (
    "feature_kind", "data_type", "aggregation", "default_value", "serving_transform", "signals_definition",
)


@dataclass(frozen=True)
class FeatureColumn:
    """One feature as the contract describes it."""

    name: str
    feature_kind: str | None = None
    data_type: str | None = None
    aggregation: str | None = None
    default_value: str | None = None
    serving_transform: str | None = None
    signals_definition: dict[str, Any] | None = None
    description: str = ""

    def as_metadata(self) -> dict[str, Any]:
        """The entry of ``metadata.json``'s ``feature_contract``."""
        return {
            "name": self.name,
            "feature_kind": self.feature_kind,
            "data_type": self.data_type,
            "aggregation": self.aggregation,
            "default_value": self.default_value,
            "serving_transform": self.serving_transform,
            "signals_definition": self.signals_definition,
            "description": self.description,
        }


@dataclass(frozen=True)
class FeatureSpec:
    """The columns' roles, from ``final_training_columns``."""

    features: tuple[str, ...]
    target: str
    label_maturity: str | None = None
    identifiers: tuple[str, ...] = ()
    descriptions: dict[str, str] = field(default_factory=dict)
    columns: dict[str, FeatureColumn] = field(default_factory=dict)
    build_invocation_id: str | None = None
    training_row_count: int | None = None
    source: str = DEFAULT_COLUMNS_TABLE
    #: Feature columns of the contract left out of the model: name -> why.
    excluded: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> FeatureColumn:
        """The contract of feature ``name`` (an empty one if the contract has no details)."""
        return self.columns.get(name) or FeatureColumn(name=name, description=self.descriptions.get(name, ""))

    def kind(self, name: str) -> str:
        """The feature's kind (set by :func:`with_kinds` when the contract does not give it)."""
        kind = self.column(name).feature_kind
        if kind is None:
            raise AssertionError(f"feature {name} has no kind; call with_kinds() first")
        return kind

    def horizon_seconds(self) -> int | None:
        """The label horizon as stated in the target's description (``within N whole seconds``)."""
        match = re.search(r"within (\d+) (?:whole )?seconds", self.descriptions.get(self.target, ""))
        return int(match.group(1)) if match else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_feature_spec(columns: pa.Table, source: str) -> FeatureSpec:
    """Build the :class:`FeatureSpec` from the rows of the column-definition table."""
    # Warehouses such as Snowflake return upper-case column names.
    columns = columns.rename_columns([c.lower() for c in columns.column_names])
    required = {"column_name", "column_role", "ordinal"}
    missing = sorted(required - set(columns.column_names))
    if missing:
        raise TrainingError(f"{source} lacks columns {', '.join(missing)}; run `dbt build` again")
    rows = columns.to_pylist()
    if any(r["column_name"] is None or r["column_role"] is None for r in rows):
        raise TrainingError(f"{source} has rows without column_name or column_role")
    rows.sort(key=lambda r: (r["ordinal"] is None, r["ordinal"], r["column_name"]))
    by_role: dict[str, list[str]] = {role: [] for role in ROLES}
    details: dict[str, FeatureColumn] = {}
    for r in rows:
        role = str(r["column_role"]).strip().lower()
        name = str(r["column_name"])
        if role not in by_role:
            log.warning("%s: ignoring column %s with unknown role %r", source, name, role)
            continue
        by_role[role].append(name)
        if role == "feature":
            details[name] = _feature_column(r, name, source)
    features = by_role["feature"]
    duplicates = sorted({f for f in features if features.count(f) > 1})
    if duplicates:
        raise TrainingError(f"{source} lists features more than once: {', '.join(duplicates)}")
    if not features:
        raise TrainingError(f"{source} defines no column with role 'feature'")
    excluded = {f: EXCLUDED_KINDS[kind] for f in features
                if (kind := details[f].feature_kind) is not None and kind in EXCLUDED_KINDS}
    features = _without_excluded(features, excluded, source)
    if len(by_role["target"]) != 1:
        raise TrainingError(
            f"{source} must define exactly one column with role 'target' (found {len(by_role['target'])})"
        )
    target = by_role["target"][0]
    if target in features:
        raise TrainingError(f"{source}: target {target} is also listed as a feature")
    if len(by_role["label_maturity"]) > 1:
        raise TrainingError(f"{source} defines more than one 'label_maturity' column")
    builds = {_text(r.get("build_invocation_id")) for r in rows}
    counts = {r.get("training_row_count") for r in rows}
    if len(builds) > 1 or len(counts) > 1:
        raise TrainingError(
            f"{source} mixes rows of {max(len(builds), len(counts))} different builds; run `dbt build` again"
        )
    count = next(iter(counts))
    return FeatureSpec(
        features=tuple(features),
        target=target,
        label_maturity=by_role["label_maturity"][0] if by_role["label_maturity"] else None,
        identifiers=tuple(by_role["identifier"]),
        descriptions={str(r["column_name"]): str(r.get("description") or "") for r in rows},
        columns={name: column for name, column in details.items() if name not in excluded},
        build_invocation_id=next(iter(builds)),
        training_row_count=int(count) if count is not None else None,
        source=source,
        excluded=excluded,
    )


def _without_excluded(features: list[str], excluded: dict[str, str], source: str) -> list[str]:
    """The features that are model inputs; a warning for each one left out; an error if none is left."""
    for name, reason in excluded.items():
        log.warning("feature %s of %s is left out of the model: it is %s", name, source, reason)
    kept = [f for f in features if f not in excluded]
    if not kept:
        raise TrainingError(
            f"{source}: no feature is a model input ({', '.join(excluded)}: timestamps); "
            "add numeric, boolean or text attributes (e.g. time_since_last) and run `dbt build`"
        )
    return kept


def _feature_column(row: dict[str, Any], name: str, source: str) -> FeatureColumn:
    values = {key: _text(row.get(key)) for key in FEATURE_ATTRIBUTES}
    kind = values["feature_kind"]
    if kind is not None:
        kind = kind.lower()
        if kind not in FEATURE_KINDS and kind not in EXCLUDED_KINDS:
            raise TrainingError(
                f"{source}: feature {name} has feature_kind {kind!r}; expected one of "
                f"{', '.join((*FEATURE_KINDS, *EXCLUDED_KINDS))} "
                "(run `dbt build` again with a supported feature definition)"
            )
    definition = values["signals_definition"]
    parsed: dict[str, Any] | None = None
    if definition is not None:
        try:
            loaded = json.loads(definition)
        except json.JSONDecodeError as exc:
            raise TrainingError(f"{source}: signals_definition of feature {name} is not valid JSON: {exc.msg}") from exc
        if not isinstance(loaded, dict):
            raise TrainingError(f"{source}: signals_definition of feature {name} must be a JSON object")
        parsed = loaded
    return FeatureColumn(
        name=name,
        feature_kind=kind,
        data_type=values["data_type"],
        aggregation=values["aggregation"],
        default_value=values["default_value"],
        serving_transform=values["serving_transform"],
        signals_definition=parsed,
        description=str(row.get("description") or ""),
    )


def infer_kind(data_type: pa.DataType) -> str | None:
    """The feature kind an Arrow column type supports (None: unsupported)."""
    if pa.types.is_boolean(data_type):
        return "boolean"
    if pa.types.is_integer(data_type) or pa.types.is_floating(data_type) or pa.types.is_decimal(data_type):
        return "numeric"
    if pa.types.is_string(data_type) or pa.types.is_large_string(data_type) or pa.types.is_string_view(data_type):
        return "categorical"
    if pa.types.is_dictionary(data_type):
        return infer_kind(data_type.value_type)
    return None


#: Arrow types each kind accepts in the table.
def kind_accepts(kind: str, data_type: pa.DataType) -> bool:
    """Whether a column of ``data_type`` can hold a feature of ``kind``."""
    natural = infer_kind(data_type)
    if natural is None:
        return False
    if kind == "numeric":
        return natural in ("numeric", "boolean")
    if kind == "boolean":
        return natural == "boolean" or (natural == "numeric" and pa.types.is_integer(data_type))
    return natural in ("categorical", "boolean") or (natural == "numeric" and pa.types.is_integer(data_type))


def with_kinds(spec: FeatureSpec, schema: pa.Schema, table: str, resolve: Any) -> FeatureSpec:
    """Check each feature's column type against its kind; fill in kinds the contract leaves out.

    A feature without a kind whose column holds timestamps (an older contract) is left out as
    the contract's ``timestamp`` kind is.
    """
    columns = dict(spec.columns)
    untyped_times = {name: EXCLUDED_KINDS["timestamp"] for name in spec.features
                     if spec.column(name).feature_kind is None
                     and (pa.types.is_timestamp(schema.field(resolve(name)).type)
                          or pa.types.is_date(schema.field(resolve(name)).type))}
    if untyped_times:
        features = _without_excluded(list(spec.features), untyped_times, spec.source)
        spec = replace(spec, features=tuple(features), excluded={**spec.excluded, **untyped_times},
                       columns={n: c for n, c in columns.items() if n not in untyped_times})
        columns = dict(spec.columns)
    for name in spec.features:
        column = spec.column(name)
        data_type = schema.field(resolve(name)).type
        kind = column.feature_kind or infer_kind(data_type)
        if kind is None:
            raise TrainingError(
                f"feature column {name} of {table} has type {data_type}, which the training step cannot use "
                "(numeric, boolean or text columns only); change the feature definition and run `dbt build`"
            )
        if not kind_accepts(kind, data_type):
            raise TrainingError(
                f"feature column {name} of {table} has type {data_type}, unexpected for a {kind} feature "
                f"({spec.source} says feature_kind {kind}); the contract and the table disagree: run `dbt build` again"
            )
        description = column.description or spec.descriptions.get(name, "")
        columns[name] = replace(column, feature_kind=kind, description=description)
    return replace(spec, columns=columns)


def load_feature_spec(reader: TableReader, columns_table: str = DEFAULT_COLUMNS_TABLE) -> FeatureSpec:
    """Read and parse the feature definition table (it must exist)."""
    if reader.table_schema(columns_table) is None:
        raise TrainingError(
            f"table {reader.qualified_name(columns_table)} (the feature definition) not found "
            f"in {reader.location()}; run `dbt build` first"
        )
    spec = parse_feature_spec(reader.read_table(columns_table), source=reader.qualified_name(columns_table))
    log.info(
        "features (%d): %s; target: %s%s", len(spec.features), ", ".join(spec.features), spec.target,
        f"; contract of build {spec.build_invocation_id}" if spec.build_invocation_id else "",
    )
    return spec
