"""Default values shared by the command line and the library (no heavy imports)."""

from __future__ import annotations

DEFAULT_TABLE = "final_training"
DEFAULT_COLUMNS_TABLE = "final_training_columns"
DEFAULT_OUTPUT_DIR = "artifacts"
DEFAULT_SEED = 42
DEFAULT_TEST_SIZE = 0.2
DEFAULT_SPLIT = "visitor"
#: Split methods: by visitor (default) or by row (the tutorial's split).
SPLIT_KINDS: tuple[str, ...] = ("visitor", "rows")
