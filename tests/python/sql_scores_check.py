"""The check that prospect_scores' SQL score is the pipeline's predict_proba (any warehouse).

Given prospect_scores read back as an Arrow table (lower-case column names) and
the folder of the fit that wrote score_vars.yml, convert the attribute columns
exactly as training converts final_training (what prospect-score does), score
them with the pipeline and compare with the SQL score, every row, to 1e-9.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from prospect_model.reading import _feature_values
from prospect_model.serving import ServingModel

TOLERANCE = 1e-9


def python_scores(table: pa.Table, model_dir: Path) -> tuple[np.ndarray, ServingModel]:
    """The pipeline's scores of the rows of ``table`` (prospect_scores as read back)."""
    table = table.rename_columns([name.lower() for name in table.column_names])
    model = ServingModel.load(model_dir)
    frame = pd.DataFrame({f: _feature_values(table.column(f), model._by_name[f].feature_kind) for f in model.features})
    return model.predict_frame(frame), model


def assert_sql_scores_match(table: pa.Table, model_dir: Path, min_rows: int = 1) -> float:
    """Assert the SQL score (and is_prospect) equal the Python ones on every row; returns the largest difference."""
    table = table.rename_columns([name.lower() for name in table.column_names])
    assert table.num_rows >= min_rows, f"only {table.num_rows} prospects"
    python, model = python_scores(table, model_dir)
    sql = np.asarray(table.column("score").to_numpy(zero_copy_only=False), dtype=np.float64)
    assert not np.isnan(sql).any(), "prospect_scores has null scores: was snowplow__score_model given?"
    worst = float(np.max(np.abs(sql - python))) if len(sql) else 0.0
    assert worst <= TOLERANCE, f"SQL and Python scores differ by up to {worst:g}"
    decided = np.asarray(table.column("is_prospect").to_numpy(zero_copy_only=False), dtype=bool)
    assert (decided == (sql >= model.threshold)).all()
    return worst
