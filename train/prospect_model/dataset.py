"""Load the feature definition and the training table into numpy arrays.

The feature definition is the table ``final_training_columns`` rendered by dbt
(``column_name``, ``column_role``, ``ordinal``, ``description``): the features are
the rows with role ``feature`` in ``ordinal`` order, the target the single row
with role ``target``. Nothing is hard-coded here.

The training table is read through Arrow (one query, only the columns used,
ordered by ``derived_tstamp, event_id`` so row order - and hence the
``--split rows`` result and the fingerprint - is deterministic) and converted
column by column into a C-ordered float64 feature matrix, a boolean target and
integer visitor codes (``domain_userid`` is read as a 64-bit hash key and
factorised in order of first appearance; only equality of visitors matters). If the table has a label-maturity column
(``is_label_mature``, or the column with role ``label_maturity``), only rows where
it is true are read (NULL counts as immature) and the others are counted.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .defaults import DEFAULT_COLUMNS_TABLE, DEFAULT_TABLE
from .errors import TrainingError
from .readers import TableReader

log = logging.getLogger(__name__)

#: The label-maturity column looked for when the feature definition names none.
DEFAULT_LABEL_MATURITY_COLUMN = "is_label_mature"
#: The visitor identifier (groups of the visitor split).
VISITOR_COLUMN = "domain_userid"
#: Deterministic row order of the read (the tutorial read rows in query order).
ORDER_BY: tuple[str, ...] = ("derived_tstamp", "event_id")
ROLES = ("identifier", "feature", "target", "label_maturity")
FINGERPRINT_FORMAT = "prospect-model-fingerprint/1"


@dataclass(frozen=True)
class FeatureSpec:
    """The columns' roles, from ``final_training_columns``."""

    features: tuple[str, ...]
    target: str
    label_maturity: str | None = None
    identifiers: tuple[str, ...] = ()
    descriptions: dict[str, str] = field(default_factory=dict)


@dataclass
class TrainingData:
    """The training rows as arrays, plus what is known about where they came from."""

    table: str
    spec: FeatureSpec
    X: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    n_visitors: int
    rows_in_table: int
    rows_excluded_immature: int
    label_maturity_column: str | None
    fingerprint: dict[str, object]
    order_by: tuple[str, ...] = ORDER_BY

    @property
    def features(self) -> list[str]:
        """Feature names in model order."""
        return list(self.spec.features)

    @property
    def n_rows(self) -> int:
        """Number of training rows (after excluding immature labels)."""
        return int(self.y.shape[0])

    def frame(self, rows: np.ndarray | None = None) -> pd.DataFrame:
        """The feature matrix (or the given rows of it) as a DataFrame with feature names.

        Built on one float64 block without an extra copy, so scikit-learn records
        ``feature_names_in_`` and converts it back to numpy without copying.
        """
        values = self.X if rows is None else self.X[rows]
        return pd.DataFrame(values, columns=self.features, copy=False)


# --------------------------------------------------------------------------- spec


def parse_feature_spec(columns: pa.Table, source: str) -> FeatureSpec:
    """Build the :class:`FeatureSpec` from the rows of the column-definition table."""
    # Warehouses such as Snowflake return upper-case column names.
    columns = columns.rename_columns([c.lower() for c in columns.column_names])
    required = {"column_name", "column_role", "ordinal"}
    missing = sorted(required - set(columns.column_names))
    if missing:
        raise TrainingError(f"{source} lacks columns {', '.join(missing)}; run `dbt build` again")
    rows = columns.select(
        [c for c in ("column_name", "column_role", "ordinal", "description") if c in columns.column_names]
    ).to_pylist()
    if any(r["column_name"] is None or r["column_role"] is None for r in rows):
        raise TrainingError(f"{source} has rows without column_name or column_role")
    rows.sort(key=lambda r: (r["ordinal"] is None, r["ordinal"], r["column_name"]))
    by_role: dict[str, list[str]] = {role: [] for role in ROLES}
    for r in rows:
        role = str(r["column_role"]).strip().lower()
        if role not in by_role:
            log.warning("%s: ignoring column %s with unknown role %r", source, r["column_name"], role)
            continue
        by_role[role].append(str(r["column_name"]))
    features = by_role["feature"]
    duplicates = sorted({f for f in features if features.count(f) > 1})
    if duplicates:
        raise TrainingError(f"{source} lists features more than once: {', '.join(duplicates)}")
    if not features:
        raise TrainingError(f"{source} defines no column with role 'feature'")
    if len(by_role["target"]) != 1:
        raise TrainingError(
            f"{source} must define exactly one column with role 'target' "
            f"(found {len(by_role['target'])})"
        )
    target = by_role["target"][0]
    if target in features:
        raise TrainingError(f"{source}: target {target} is also listed as a feature")
    if len(by_role["label_maturity"]) > 1:
        raise TrainingError(f"{source} defines more than one 'label_maturity' column")
    descriptions = {str(r["column_name"]): str(r.get("description") or "") for r in rows}
    return FeatureSpec(
        features=tuple(features),
        target=target,
        label_maturity=by_role["label_maturity"][0] if by_role["label_maturity"] else None,
        identifiers=tuple(by_role["identifier"]),
        descriptions=descriptions,
    )


def load_feature_spec(reader: TableReader, columns_table: str = DEFAULT_COLUMNS_TABLE) -> FeatureSpec:
    """Read and parse the feature definition table (it must exist)."""
    if reader.table_schema(columns_table) is None:
        raise TrainingError(
            f"table {reader.qualified_name(columns_table)} (the feature definition) not found "
            f"in {reader.location()}; run `dbt build` first"
        )
    spec = parse_feature_spec(
        reader.read_table(columns_table), source=reader.qualified_name(columns_table)
    )
    log.info("features (%d): %s; target: %s", len(spec.features), ", ".join(spec.features), spec.target)
    return spec


# --------------------------------------------------------------------------- table


def _is_numeric(data_type: pa.DataType) -> bool:
    return (
        pa.types.is_integer(data_type)
        or pa.types.is_floating(data_type)
        or pa.types.is_decimal(data_type)
        or pa.types.is_boolean(data_type)
    )


@dataclass
class RawTrainingTable:
    """The training rows as read (Arrow), before validation and conversion."""

    name: str
    location: str
    data: pa.Table
    rows_in_table: int
    rows_excluded_immature: int
    label_maturity_column: str | None


def read_training_table(
    reader: TableReader, spec: FeatureSpec, table: str = DEFAULT_TABLE
) -> RawTrainingTable:
    """Check the table's columns against ``spec`` and read the (mature) training rows.

    Reads ``domain_userid`` (as a hash key), the features and the target, ordered
    by :data:`ORDER_BY`. Raises :class:`TrainingError` if the table is missing,
    lacks columns, has non-numeric features, or has no (mature) rows.
    """
    name = reader.qualified_name(table)
    schema = reader.table_schema(table)
    if schema is None:
        raise TrainingError(f"table {name} not found in {reader.location()}; run `dbt build` first")
    actual = _column_resolver(schema.names)
    needed = [VISITOR_COLUMN, *ORDER_BY, *spec.features, spec.target]
    missing = [c for c in dict.fromkeys(needed) if actual(c) is None]
    if missing:
        raise TrainingError(
            f"table {name} lacks columns {', '.join(missing)} listed in the feature definition "
            f"or required by the training step; run `dbt build` again"
        )
    for feature in spec.features:
        feature_type = schema.field(actual(feature)).type
        if not _is_numeric(feature_type):
            raise TrainingError(f"feature column {feature} of {name} has non-numeric type {feature_type}")
    target_type = schema.field(actual(spec.target)).type
    if not (pa.types.is_boolean(target_type) or pa.types.is_integer(target_type)):
        raise TrainingError(f"target column {spec.target} of {name} must be BOOLEAN, not {target_type}")

    maturity = spec.label_maturity
    if maturity is not None and actual(maturity) is None:
        raise TrainingError(
            f"label-maturity column {maturity} listed in the feature definition is missing "
            f"from {name}; run `dbt build` again"
        )
    if maturity is None and actual(DEFAULT_LABEL_MATURITY_COLUMN) is not None:
        maturity = DEFAULT_LABEL_MATURITY_COLUMN
    maturity_actual = actual(maturity) if maturity is not None else None
    if maturity_actual is not None and not pa.types.is_boolean(schema.field(maturity_actual).type):
        raise TrainingError(f"label-maturity column {maturity} of {name} must be BOOLEAN")

    rows_in_table = -1
    if maturity_actual is not None:
        flags = reader.read_table(table, [maturity_actual]).column(0)
        rows_in_table = len(flags)
        del flags

    columns = [VISITOR_COLUMN, *spec.features, spec.target]
    data = reader.read_table(
        table,
        [actual(c) for c in columns],
        where_true=maturity_actual,
        order_by=[actual(c) for c in ORDER_BY],
        key_columns=[actual(VISITOR_COLUMN)],
    ).rename_columns(columns)
    if maturity is None:
        rows_in_table = data.num_rows
    excluded = rows_in_table - data.num_rows
    log.info("read %d rows from %s (%s)", rows_in_table, name, reader.location())
    if maturity is not None:
        log.info(
            "left out %d of %d rows whose label is not mature yet (%s is not true)",
            excluded, rows_in_table, maturity,
        )
    else:
        log.info("no label-maturity column in %s: training on all rows", name)

    if rows_in_table == 0:
        raise TrainingError(
            f"table {name} in {reader.location()} is empty; check that events were loaded "
            "and run `dbt build`"
        )
    if data.num_rows == 0:
        raise TrainingError(
            f"all {rows_in_table} rows of {name} are immature ({maturity} is not true: their "
            "label horizon runs past the end of the data); load more recent events"
        )
    return RawTrainingTable(
        name=name,
        location=reader.location(),
        data=data,
        rows_in_table=rows_in_table,
        rows_excluded_immature=excluded,
        label_maturity_column=maturity,
    )


def _column_resolver(names: Sequence[str]) -> Callable[[str], str | None]:
    """Map a contract column name to the table's spelling (exact, else case-insensitive)."""
    exact = set(names)
    folded: dict[str, str] = {}
    for table_name in names:
        folded.setdefault(table_name.lower(), table_name)

    def actual(column: str) -> str | None:
        return column if column in exact else folded.get(column.lower())

    return actual


def prepare_training_data(raw: RawTrainingTable, spec: FeatureSpec) -> TrainingData:
    """Validate the rows read and convert them to numpy arrays (column by column).

    Raises :class:`TrainingError` for nulls, non-finite features, a target that is
    not 0/1, or a single target class. Does not keep a reference to the Arrow data.
    """
    name, data = raw.name, raw.data
    columns = [VISITOR_COLUMN, *spec.features, spec.target]
    for column in columns:
        nulls = data.column(column).null_count
        if nulls:
            raise TrainingError(
                f"column {column} of {name} has {nulls} null values in the training rows; "
                "features, target and visitor id must not be null"
            )

    X = np.empty((data.num_rows, len(spec.features)), dtype=np.float64)
    for j, feature in enumerate(spec.features):
        start = 0
        for chunk in data.column(feature).chunks:
            values = pc.cast(chunk, pa.float64()).to_numpy(zero_copy_only=False)
            X[start : start + len(values), j] = values
            start += len(values)
    if not np.isfinite(X).all():
        bad = [f for j, f in enumerate(spec.features) if not np.isfinite(X[:, j]).all()]
        raise TrainingError(f"feature columns {', '.join(bad)} of {name} have NaN or infinite values")

    y = _target_array(data.column(spec.target), spec.target, name)
    n_pos = int(y.sum())
    if n_pos == 0:
        raise TrainingError(
            f"no conversions found in the {len(y)} training rows of {name} ({spec.target} is "
            "false everywhere), so there is nothing to learn; load more data, use a longer "
            "label horizon, or check the dbt var that names the conversion event"
        )
    if n_pos == len(y):
        raise TrainingError(
            f"every one of the {len(y)} training rows of {name} is a conversion ({spec.target} "
            "is true everywhere); check the dbt var that names the conversion event"
        )

    groups, n_visitors = _visitor_codes(data.column(VISITOR_COLUMN))
    fingerprint = fingerprint_data(data, [*spec.features, spec.target], groups)
    log.info(
        "training rows: %d (%d visitors, %d positives = %.2f%%)",
        len(y), n_visitors, n_pos, 100.0 * n_pos / len(y),
    )
    return TrainingData(
        table=name,
        spec=spec,
        X=X,
        y=y,
        groups=groups,
        n_visitors=n_visitors,
        rows_in_table=raw.rows_in_table,
        rows_excluded_immature=raw.rows_excluded_immature,
        label_maturity_column=raw.label_maturity_column,
        fingerprint=fingerprint,
    )


def load_training_data(
    reader: TableReader, spec: FeatureSpec, table: str = DEFAULT_TABLE
) -> TrainingData:
    """:func:`read_training_table` + :func:`prepare_training_data` (reader stays open meanwhile)."""
    return prepare_training_data(read_training_table(reader, spec, table), spec)


def _visitor_codes(keys: pa.ChunkedArray) -> tuple[np.ndarray, int]:
    """Visitor codes 0..n-1 in order of first appearance, and the number of visitors."""
    values = keys.to_numpy(zero_copy_only=False)
    codes, uniques = pd.factorize(values, sort=False)
    dtype = np.int32 if len(uniques) < 2**31 else np.int64
    return np.ascontiguousarray(codes, dtype=dtype), int(len(uniques))


def _target_array(column: pa.ChunkedArray, target: str, table: str) -> np.ndarray:
    if pa.types.is_boolean(column.type):
        return np.asarray(column.to_numpy(zero_copy_only=False), dtype=bool)
    values = column.to_numpy(zero_copy_only=False)
    if not np.isin(values, (0, 1)).all():
        raise TrainingError(f"target column {target} of {table} has values other than 0/1")
    return values.astype(bool)


# --------------------------------------------------------------------------- fingerprint


def fingerprint_data(
    table: pa.Table, columns: Sequence[str], visitor_codes: np.ndarray | None = None
) -> dict[str, object]:
    """SHA-256 of the training data: ``columns`` of ``table`` and the visitor grouping, in row order.

    The digest covers a JSON header (format, row count, column names, Arrow types
    and null counts) and, per column in the given order, a canonical form of its
    values that does not depend on how the Arrow data is chunked: little-endian
    value bytes for fixed-width columns (booleans one byte each), value lengths
    plus concatenated bytes for strings (decimals via their text). Then, if given,
    the visitor codes as little-endian int64: visitors numbered in order of first
    appearance, which captures which rows share a ``domain_userid`` (what the
    visitor split uses) independently of the ids and of the hash used to read
    them. Null masks are not hashed (the columns are checked to hold no nulls).
    Same rows in the same order => same fingerprint, across runs and machines.
    """
    digest = hashlib.sha256()
    names = list(columns) + ([f"{VISITOR_COLUMN} (first-appearance codes)"] if visitor_codes is not None else [])
    header = {
        "format": FINGERPRINT_FORMAT,
        "rows": table.num_rows,
        "columns": [[c, str(table.schema.field(c).type), table.column(c).null_count] for c in columns],
        "visitor_codes": visitor_codes is not None,
    }
    digest.update(json.dumps(header, sort_keys=True).encode())
    for column in columns:
        digest.update(_column_digest(table.column(column)))
    if visitor_codes is not None:
        digest.update(hashlib.sha256(np.ascontiguousarray(visitor_codes, dtype="<i8").view(np.uint8).data).digest())
    return {
        "algorithm": "sha256",
        "format": FINGERPRINT_FORMAT,
        "columns": names,
        "rows": table.num_rows,
        "order_by": list(ORDER_BY),
        "sha256": digest.hexdigest(),
    }


def _column_digest(column: pa.ChunkedArray) -> bytes:
    values_hash = hashlib.sha256()
    lengths_hash = hashlib.sha256()
    data_type = column.type
    is_text = (
        pa.types.is_string(data_type)
        or pa.types.is_large_string(data_type)
        or pa.types.is_binary(data_type)
        or pa.types.is_large_binary(data_type)
        or pa.types.is_string_view(data_type)
        or pa.types.is_binary_view(data_type)
    )
    fixed_width = (
        pa.types.is_integer(data_type)
        or pa.types.is_floating(data_type)
        or pa.types.is_boolean(data_type)
        or pa.types.is_temporal(data_type)
    )
    for chunk in column.chunks:
        if len(chunk) == 0:
            continue
        if not is_text and not fixed_width:  # e.g. decimals: hash their text form
            chunk = chunk.cast(pa.string())
        if not fixed_width:
            chunk = chunk.cast(pa.large_binary())
            offsets = np.frombuffer(chunk.buffers()[1], dtype="<i8")[chunk.offset : chunk.offset + len(chunk) + 1]
            lengths_hash.update(np.diff(offsets).astype("<i8").data)
            data = chunk.buffers()[2]
            if data is not None:
                values_hash.update(memoryview(data)[int(offsets[0]) : int(offsets[-1])])
        else:
            array = chunk.to_numpy(zero_copy_only=False)
            if array.dtype == bool:
                array = array.view(np.uint8)
            array = np.ascontiguousarray(array)
            if array.dtype.byteorder == ">":
                array = array.byteswap().view(array.dtype.newbyteorder("<"))
            values_hash.update(array.view(np.uint8).data)
    return lengths_hash.digest() + values_hash.digest()
