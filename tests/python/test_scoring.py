"""prospect-score: batch scores of the active, not-yet-converted visitors of the sample build.

The expected visitors and their features are computed independently here, in SQL
over the dbt tables, and scored the tutorial's way
(``joblib.load(model).predict_proba(df[features])[:, 1]``, numbers as float64).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import joblib
import numpy as np
import pandas as pd
import pytest

import serving_helpers as sh
from conftest import SampleBuild

FEATURES = ["num_page_views", "num_pricing_views", "num_customers_views"]


@pytest.fixture(scope="module")
def sample_models(sample_build: SampleBuild, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sample_models")
    return {
        "logreg": sh.fit_on_sample(sample_build.db_path, out / "logreg"),
        "hgb": sh.fit_on_sample(sample_build.db_path, out / "hgb", "--model", "hgb", "--cv-folds", "2"),
    }


@pytest.fixture
def database(sample_build: SampleBuild, tmp_path: Path) -> Path:
    """A copy of the sample build (the scores are written into it)."""
    return Path(shutil.copy(sample_build.db_path, tmp_path / "scores.duckdb"))


def score(database: Path, model_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**sh.package_env(DBT_DUCKDB_PATH=str(database), DBT_TARGET="duckdb")}
    return subprocess.run([sys.executable, "-m", "prospect_model.scoring", "--model-dir", str(model_dir), *args],
                          cwd=sh.REPO_ROOT, env=env, text=True, capture_output=True, timeout=300)


def expected_prospects(database: Path, days: int) -> pd.DataFrame:
    """Eligible, unconverted visitors whose last event is within `days` of the data end; their last row."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"""
            with data_end as (
                select max(data_end_tstamp) as data_end_tstamp from int_prospect__targets_as_of_event
            ),
            prospects as (
                select v.domain_userid
                from int_prospect__visitors as v, data_end
                where v.first_conversion_tstamp is null and v.is_eligible
                    and v.last_seen_tstamp >= data_end.data_end_tstamp - interval {days} day
            )
            select t.domain_userid, t.event_id, t.derived_tstamp, {', '.join('t.' + f for f in FEATURES)}
            from final_training as t
            inner join prospects using (domain_userid)
            qualify row_number() over (
                partition by t.domain_userid order by t.derived_tstamp desc, t.event_id desc) = 1
            order by t.domain_userid
        """).df()


def written(database: Path, table: str = "prospect_scores_python") -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"select * from {table}").df()


@pytest.mark.parametrize("kind", ["logreg", "hgb"])
def test_scores_every_active_unconverted_visitor_from_their_last_row(
    sample_models: dict[str, Path], database: Path, kind: str
) -> None:
    result = score(database, sample_models[kind], "--active-days", "7")
    assert result.returncode == 0, result.stderr[-3000:]
    got = written(database).sort_values("domain_userid").reset_index(drop=True)
    expected = expected_prospects(database, 7)
    with duckdb.connect(str(database), read_only=True) as con:
        visitors = con.execute("select count(distinct domain_userid) from final_training").fetchone()[0]
    assert 50 < len(expected) < visitors  # a real filter on the sample's visitors
    assert got["domain_userid"].tolist() == expected["domain_userid"].tolist()
    assert got["as_of_event_id"].tolist() == expected["event_id"].tolist()
    for feature in FEATURES:
        assert got[feature].tolist() == expected[feature].astype(float).tolist()
    model = joblib.load(sample_models[kind] / "model.joblib")
    # as the training step reads final_training: numbers as float64 (the pipeline's imputer
    # refuses int64 columns, see the report of issue 14)
    tutorial = model.predict_proba(expected[FEATURES].astype(np.float64))[:, 1]
    np.testing.assert_allclose(got["score"].to_numpy(), tutorial, rtol=0, atol=1e-12)
    threshold = got["threshold"].iloc[0]
    assert (got["is_prospect"] == (got["score"] >= threshold)).all()
    assert set(got["model_kind"]) == {kind} and got["model_trained_at"].notna().all()
    assert "scored" in result.stderr and "error" not in result.stderr


def test_parquet_output_equals_the_table_and_a_rerun_replaces_it(sample_models: dict[str, Path], database: Path,
                                                                 tmp_path: Path) -> None:
    parquet = tmp_path / "out" / "scores.parquet"
    assert score(database, sample_models["logreg"], "--output-parquet", str(parquet)).returncode == 0
    assert [p.name for p in parquet.parent.iterdir()] == ["scores.parquet"]  # no temp file left
    for _ in range(2):
        result = score(database, sample_models["logreg"], "--output-table", "my_scores")
        assert result.returncode == 0, result.stderr[-2000:]
    table, file = written(database, "my_scores"), pd.read_parquet(parquet)
    assert len(table) == len(expected_prospects(database, 30)) == len(file)
    columns = ["domain_userid", "score", "is_prospect", *FEATURES]
    pd.testing.assert_frame_equal(table[columns], file[columns])
    assert table["score"].is_monotonic_decreasing


def test_bad_input_is_one_line(sample_models: dict[str, Path], database: Path, tmp_path: Path) -> None:
    cases = [
        (score(database, tmp_path / "no-model"), "model.joblib not found; train first"),
        (score(database, sample_models["logreg"], "--active-days", "0"), "--active-days: must be more than 0"),
        (score(database, sample_models["logreg"], "--table", "no_such_table"), "no_such_table not found"),
        # The project's own tables are never replaced by scores, nor is a name SQL would misread accepted.
        (score(database, sample_models["logreg"], "--output-table", "final_training_columns"),
         "--output-table final_training_columns is a table the dbt project builds or this run reads"),
        (score(database, sample_models["logreg"], "--output-table", "int_prospect__visitors"), "would replace it"),
        (score(database, sample_models["logreg"], "--output-table", "bad name; drop"),
         "--output-table 'bad name; drop' is not a lower-case table name"),
    ]
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    cases.append((score(empty, sample_models["logreg"]), "final_training_columns (the feature definition) not found"))
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select count(*) from final_training_columns where column_role = 'feature'"
                           ).fetchall()[0][0] == len(FEATURES)
    for result, message in cases:
        assert result.returncode == 2, result.stderr
        lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(lines) == 1 and message in lines[0], result.stderr
        assert "Traceback" not in result.stderr


def test_a_build_with_other_definitions_is_not_scored(sample_models: dict[str, Path], database: Path) -> None:
    """Same feature names, another meaning (a catalog reusing a name), or another label: refused, not scored."""
    with duckdb.connect(str(database)) as con:
        con.execute("""update final_training_columns
                       set signals_definition = replace(signals_definition, '%pricing%', '%plans%')
                       where column_name = 'num_pricing_views'""")
    result = score(database, sample_models["logreg"])
    assert result.returncode == 2, result.stderr
    assert "defines features differently from the model's training: num_pricing_views (" in result.stderr
    assert "%plans%" in result.stderr and "Traceback" not in result.stderr
    with duckdb.connect(str(database)) as con:
        con.execute("""update final_training_columns
                       set signals_definition = replace(signals_definition, '%plans%', '%pricing%')""")
        con.execute("""update final_training_columns set column_name = 'target_had_link_click_next30m'
                       where column_role = 'target'""")
    result = score(database, sample_models["logreg"])
    assert result.returncode == 2, result.stderr
    assert ("the model was trained for the label target_had_submit_form_next1h, but main.final_training_columns "
            "describes a build for target_had_link_click_next30m") in result.stderr
    with duckdb.connect(str(database), read_only=True) as con:
        assert "prospect_scores_python" not in {r[0] for r in con.execute("show tables").fetchall()}


def test_help_documents_every_option() -> None:
    result = subprocess.run([sys.executable, "-m", "prospect_model.scoring", "--help"], env=sh.package_env(),
                            text=True, capture_output=True, timeout=60)
    assert result.returncode == 0
    for option in ("--model-dir", "--target", "--profiles-dir", "--project-dir", "--table", "--active-days",
                   "--output-table", "--output-parquet", "--verbose"):
        assert option in result.stdout
