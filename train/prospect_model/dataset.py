"""The training data, by job: :mod:`.contract` (what the columns are), :mod:`.reading` (read
and validate the rows) and :mod:`.fingerprint` (what exactly was trained on).

This module re-exports their public names for code that imported them from here.
"""

from __future__ import annotations

from .contract import FeatureColumn, FeatureSpec, load_feature_spec, parse_feature_spec
from .fingerprint import FINGERPRINT_FORMAT, ORDER_BY, VISITOR_COLUMN, fingerprint_data
from .reading import (
    DEFAULT_LABEL_MATURITY_COLUMN,
    RawTrainingTable,
    TrainingData,
    load_training_data,
    prepare_training_data,
    read_training_table,
)

__all__ = [
    "DEFAULT_LABEL_MATURITY_COLUMN",
    "FINGERPRINT_FORMAT",
    "ORDER_BY",
    "VISITOR_COLUMN",
    "FeatureColumn",
    "FeatureSpec",
    "RawTrainingTable",
    "TrainingData",
    "fingerprint_data",
    "load_feature_spec",
    "load_training_data",
    "parse_feature_spec",
    "prepare_training_data",
    "read_training_table",
]
