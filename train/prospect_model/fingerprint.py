"""Fingerprint of the training data: a SHA-256 over the rows read, in row order.

Same rows in the same order => same fingerprint, across runs, machines and Arrow chunking.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

#: The visitor identifier (groups of the visitor split).
VISITOR_COLUMN = "domain_userid"
#: Deterministic row order of the read (the tutorial read rows in query order).
ORDER_BY: tuple[str, ...] = ("derived_tstamp", "event_id")
FINGERPRINT_FORMAT = "prospect-model-fingerprint/2"


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
    them. Columns with nulls also hash their validity (one byte per row), so a
    null differs from whatever value the null slot happens to hold.
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
    validity_hash = hashlib.sha256()
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
        if column.null_count:
            validity_hash.update(np.asarray(chunk.is_valid().to_numpy(zero_copy_only=False), dtype=np.uint8).data)
            chunk = chunk.fill_null(_zero(chunk.type))
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
    return lengths_hash.digest() + values_hash.digest() + (validity_hash.digest() if column.null_count else b"")


def _zero(data_type: pa.DataType) -> pa.Scalar:
    """A fill value for null slots of ``data_type`` (their content is hashed by validity instead)."""
    if pa.types.is_boolean(data_type):
        return pa.scalar(False)
    if pa.types.is_string(data_type) or pa.types.is_large_string(data_type) or pa.types.is_string_view(data_type):
        return pa.scalar("", type=data_type)
    if pa.types.is_temporal(data_type):
        return pa.scalar(0, type=pa.int64()).cast(data_type)
    return pa.scalar(0, type=data_type)
