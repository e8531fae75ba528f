"""Read the training table and turn it into model inputs.

The table is read through Arrow (one query, only the columns used, ordered by
``derived_tstamp, event_id`` so row order - and hence ``--split rows`` and the
fingerprint - is deterministic). ``domain_userid`` is read as a 64-bit hash key
and factorised (only equality of visitors matters). If the table has a
label-maturity column (``is_label_mature``, or the column with role
``label_maturity``), only rows where it is true are read (NULL counts as
immature) and the others are counted.

Features become a pandas DataFrame of raw values in contract order, as the
model will see them when serving: numeric features as float64 (NULL -> NaN),
booleans as float64 0/1 (NULL -> NaN), categorical ones as text (NULL -> None).
The model's own pipeline imputes and encodes them (see :mod:`.preprocessing`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .contract import FeatureSpec, with_kinds
from .defaults import DEFAULT_TABLE
from .errors import TrainingError
from .fingerprint import ORDER_BY, VISITOR_COLUMN, fingerprint_data
from .readers import TableReader

log = logging.getLogger(__name__)

#: The label-maturity column looked for when the feature definition names none.
DEFAULT_LABEL_MATURITY_COLUMN = "is_label_mature"
#: The event time (the time split, and the row order).
TIME_COLUMN = "derived_tstamp"


@dataclass
class TrainingData:
    """The training rows as model inputs, plus what is known about where they came from."""

    table: str
    spec: FeatureSpec
    frame: pd.DataFrame
    y: np.ndarray
    groups: np.ndarray
    times: np.ndarray
    n_visitors: int
    rows_in_table: int
    rows_excluded_immature: int
    label_maturity_column: str | None
    fingerprint: dict[str, object]
    dropped: dict[str, str] = field(default_factory=dict)
    order_by: tuple[str, ...] = ORDER_BY

    @property
    def features(self) -> list[str]:
        """Feature names in model order (every feature of the contract, dropped ones included)."""
        return list(self.spec.features)

    @property
    def used_features(self) -> list[str]:
        """The features the model uses (constant ones dropped)."""
        return [f for f in self.spec.features if f not in self.dropped]

    @property
    def n_rows(self) -> int:
        """Number of training rows (after excluding immature labels)."""
        return int(self.y.shape[0])

    def rows(self, index: np.ndarray | None = None) -> pd.DataFrame:
        """The feature frame (or the given rows of it)."""
        return self.frame if index is None else self.frame.iloc[index]


@dataclass
class RawTrainingTable:
    """The training rows as read (Arrow), before validation and conversion."""

    name: str
    location: str
    data: pa.Table
    rows_in_table: int
    rows_excluded_immature: int
    label_maturity_column: str | None
    spec: FeatureSpec


def column_resolver(names: Sequence[str]) -> Callable[[str], str | None]:
    """Map a contract column name to the table's spelling (exact, else case-insensitive)."""
    exact = set(names)
    folded: dict[str, str] = {}
    for table_name in names:
        folded.setdefault(table_name.lower(), table_name)

    def actual(column: str) -> str | None:
        return column if column in exact else folded.get(column.lower())

    return actual


def read_training_table(reader: TableReader, spec: FeatureSpec, table: str = DEFAULT_TABLE) -> RawTrainingTable:
    """Check the table's columns against ``spec`` and read the (mature) training rows.

    Raises :class:`TrainingError` if the table is missing, lacks columns, has feature
    columns of a type the contract does not allow, has no (mature) rows, or holds a
    different number of rows than the contract's build saw (the two then come from
    different builds).
    """
    name = reader.qualified_name(table)
    schema = reader.table_schema(table)
    if schema is None:
        raise TrainingError(f"table {name} not found in {reader.location()}; run `dbt build` first")
    actual = column_resolver(schema.names)
    needed = [VISITOR_COLUMN, *ORDER_BY, *spec.features, spec.target]
    missing = [c for c in dict.fromkeys(needed) if actual(c) is None]
    if missing:
        raise TrainingError(
            f"table {name} lacks columns {', '.join(missing)} listed in the feature definition "
            f"or required by the training step; the contract and the table come from different builds: "
            "run `dbt build` again"
        )
    spec = with_kinds(spec, schema, name, actual)
    target_type = schema.field(actual(spec.target)).type
    if not (pa.types.is_boolean(target_type) or pa.types.is_integer(target_type)):
        raise TrainingError(f"target column {spec.target} of {name} must be BOOLEAN, not {target_type}")
    time_type = schema.field(actual(TIME_COLUMN)).type
    if not pa.types.is_timestamp(time_type):
        raise TrainingError(f"column {TIME_COLUMN} of {name} must be a TIMESTAMP, not {time_type}")

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
        rows_in_table = len(reader.read_table(table, [maturity_actual]).column(0))

    columns = [VISITOR_COLUMN, TIME_COLUMN, *spec.features, spec.target]
    data = reader.read_table(
        table,
        [actual(c) or c for c in columns],
        where_true=maturity_actual,
        order_by=[actual(c) or c for c in ORDER_BY],
        key_columns=[actual(VISITOR_COLUMN) or VISITOR_COLUMN],
    ).rename_columns(columns)
    if maturity is None:
        rows_in_table = data.num_rows
    check_same_build(spec, rows_in_table, name)
    excluded = rows_in_table - data.num_rows
    log.info("read %d rows from %s (%s)", rows_in_table, name, reader.location())
    if maturity is not None:
        log.info(
            "left out %d of %d rows whose label is not mature yet (%s is not true)", excluded, rows_in_table, maturity
        )
    else:
        log.info("no label-maturity column in %s: training on all rows", name)
    if rows_in_table == 0:
        raise TrainingError(
            f"table {name} in {reader.location()} is empty; check that events were loaded and run `dbt build`"
        )
    if data.num_rows == 0:
        raise TrainingError(
            f"all {rows_in_table} rows of {name} are immature ({maturity} is not true: their "
            "label horizon runs past the end of the data); load more recent events"
        )
    return RawTrainingTable(
        name=name, location=reader.location(), data=data, rows_in_table=rows_in_table,
        rows_excluded_immature=excluded, label_maturity_column=maturity, spec=spec,
    )


def check_same_build(spec: FeatureSpec, rows_in_table: int, table: str) -> None:
    """The contract records how many rows its build saw in the table: they must agree."""
    if spec.training_row_count is None or spec.training_row_count == rows_in_table:
        return
    build = f" (build {spec.build_invocation_id})" if spec.build_invocation_id else ""
    raise TrainingError(
        f"{spec.source}{build} describes a {table} of {spec.training_row_count} rows, but {table} has "
        f"{rows_in_table}: the contract and the table come from different builds (a `dbt build` that "
        "stopped half-way, or one still running); run `dbt build` again"
    )


def prepare_training_data(raw: RawTrainingTable, spec: FeatureSpec | None = None) -> TrainingData:
    """Validate the rows read and convert them to model inputs.

    Raises :class:`TrainingError` for a null visitor id or target, an all-null or
    infinite feature, a target that is not 0/1, a single target class, or when every
    feature is constant. A constant feature (one value in every row) is dropped with a
    warning: it carries nothing to learn. Does not keep a reference to the Arrow data.
    """
    spec = raw.spec if spec is None else spec
    name, data = raw.name, raw.data
    for column in (VISITOR_COLUMN, spec.target, TIME_COLUMN):
        nulls = data.column(column).null_count
        if nulls:
            raise TrainingError(
                f"column {column} of {name} has {nulls} null values in the training rows; "
                "the target, the event time and the visitor id must not be null"
            )
    # copy=False: one block per column, not a consolidated copy of them all (10M rows x 15 features:
    # 1.2 GB less at the read's peak).
    frame = pd.DataFrame(
        {feature: _feature_values(data.column(feature), spec.kind(feature)) for feature in spec.features},
        copy=False,
    )
    dropped = check_features(frame, spec, name)

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
    times = pc.cast(data.column(TIME_COLUMN), pa.timestamp("us")).cast(pa.int64()).to_numpy()
    groups, n_visitors = _visitor_codes(data.column(VISITOR_COLUMN))
    fingerprint = fingerprint_data(data, [*spec.features, spec.target], groups)
    log.info(
        "training rows: %d (%d visitors, %d positives = %.2f%%)", len(y), n_visitors, n_pos, 100.0 * n_pos / len(y)
    )
    return TrainingData(
        table=name, spec=spec, frame=frame, y=y, groups=groups, times=np.ascontiguousarray(times),
        n_visitors=n_visitors, rows_in_table=raw.rows_in_table, rows_excluded_immature=raw.rows_excluded_immature,
        label_maturity_column=raw.label_maturity_column, fingerprint=fingerprint, dropped=dropped,
    )


def _feature_values(column: pa.ChunkedArray, kind: str) -> np.ndarray | pd.Series:
    if kind in ("numeric", "boolean"):
        return pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False)
    if pa.types.is_boolean(column.type) or pa.types.is_integer(column.type):
        column = pc.cast(column, pa.string())
    # Text stays text; NULL becomes None (the model's encoder keeps it as its own value).
    return pd.Series(shared_strings(column), dtype=object)


def shared_strings(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """The column as an object array of str (None for NULL) in which equal values are one str object.

    ``to_numpy`` makes one Python str per row: 10M rows of a categorical take ~0.6 GB and seconds to
    build. Dictionary-encoding first makes one str per distinct value and an array of 8-byte references
    to them, equal element by element (the encoders hash each distinct str once, too).
    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = column.dictionary_encode()
    values = np.empty(len(encoded.dictionary) + 1, dtype=object)
    values[:-1] = encoded.dictionary.to_pylist()
    values[-1] = None
    codes = encoded.indices.fill_null(len(encoded.dictionary)).to_numpy(zero_copy_only=False)
    return values[codes]


def check_features(frame: pd.DataFrame, spec: FeatureSpec, table: str) -> dict[str, str]:
    """Refuse unusable features, return the constant ones to drop (``{name: reason}``)."""
    dropped: dict[str, str] = {}
    for feature in spec.features:
        values = frame[feature]
        nulls = int(values.isna().sum())
        if nulls == len(values):
            raise TrainingError(
                f"feature column {feature} of {table} is null in all {len(values)} training rows; "
                "check its definition (a property that is never set?) and run `dbt build`"
            )
        if values.dtype == np.float64:
            numbers = values.to_numpy()
            low, high = np.nanmin(numbers), np.nanmax(numbers)
            if np.isinf(low) or np.isinf(high):
                raise TrainingError(f"feature column {feature} of {table} has infinite values")
            # NULL is a value of its own; min == max without NULLs: one value (as nunique, without its hashing).
            constant = nulls == 0 and bool(low == high)
        else:
            constant = int(values.nunique(dropna=False)) <= 1
        if nulls:
            log.info("feature %s: %d of %d training rows are null (imputed by the model)", feature, nulls, len(values))
        if constant:
            value = values.iloc[0]
            value = value.item() if isinstance(value, np.generic) else value
            dropped[feature] = f"constant ({value!r} in every training row)"
            log.warning(
                "feature %s of %s has one value (%r) in every training row: dropped (it carries nothing to learn)",
                feature, table, value,
            )
    if len(dropped) == len(spec.features):
        raise TrainingError(
            f"every feature of {table} is constant in the training rows ({', '.join(dropped)}); "
            "there is nothing to learn: load more data or check the feature definitions"
        )
    return dropped


def load_training_data(reader: TableReader, spec: FeatureSpec, table: str = DEFAULT_TABLE) -> TrainingData:
    """:func:`read_training_table` + :func:`prepare_training_data` (reader stays open meanwhile)."""
    return prepare_training_data(read_training_table(reader, spec, table))


def _visitor_codes(keys: pa.ChunkedArray) -> tuple[np.ndarray, int]:
    """Visitor codes 0..n-1 in order of first appearance, and the number of visitors."""
    values = keys.to_numpy(zero_copy_only=False)
    codes, uniques = pd.factorize(values, sort=False)
    dtype = np.int32 if len(uniques) < 2**31 else np.int64
    return np.ascontiguousarray(codes, dtype=dtype), len(uniques)


def _target_array(column: pa.ChunkedArray, target: str, table: str) -> np.ndarray:
    if pa.types.is_boolean(column.type):
        return np.asarray(column.to_numpy(zero_copy_only=False), dtype=bool)
    values = column.to_numpy(zero_copy_only=False)
    if not np.isin(values, (0, 1)).all():
        raise TrainingError(f"target column {target} of {table} has values other than 0/1")
    return values.astype(bool)
