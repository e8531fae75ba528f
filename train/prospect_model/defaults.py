"""Default values shared by the command line and the library (no heavy imports)."""

from __future__ import annotations

DEFAULT_TABLE = "final_training"
DEFAULT_COLUMNS_TABLE = "final_training_columns"
DEFAULT_OUTPUT_DIR = "artifacts"
DEFAULT_SEED = 42
DEFAULT_TEST_SIZE = 0.2
DEFAULT_SPLIT = "visitor"
#: Split methods: by visitor (default), by row (the tutorial's split), out of time.
SPLIT_KINDS: tuple[str, ...] = ("visitor", "rows", "time")
DEFAULT_MODEL = "logreg"
MODEL_KINDS: tuple[str, ...] = ("logreg", "hgb")
DEFAULT_NUMERIC_TRANSFORM = "asinh"
NUMERIC_TRANSFORMS: tuple[str, ...] = ("asinh", "log1p", "none")
DEFAULT_CLASS_WEIGHT = "none"
CLASS_WEIGHTS: tuple[str, ...] = ("none", "balanced")
DEFAULT_CV_FOLDS = 5
#: Training rows each cross-validation fit uses at most (a visitor sample beyond that).
DEFAULT_CV_MAX_ROWS = 1_000_000
#: Runs kept in <output-dir>/runs/ (the current one included).
RUNS_KEPT = 3
