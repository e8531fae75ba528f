"""Bad input: one ``error:`` line, exit status 2, no traceback, previous outputs untouched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import prospect_model.pipeline
from conftest_train_helpers import (
    FEATURES,
    PROFILE,
    TARGET,
    column_rows,
    make_events,
    make_project,
    seed_previous_artifacts,
    snapshot,
    write_database,
)
from prospect_model.cli import main
from prospect_model.errors import EXIT_BAD_INPUT, TrainingError


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """A project dir, the database path (not yet written) and pre-existing artifacts."""
    for name in ("DBT_PROFILES_DIR", "DBT_TARGET", "DBT_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("DBT_DUCKDB_PATH", str(db))
    project = make_project(tmp_path / "project")
    out = tmp_path / "artifacts"
    before = seed_previous_artifacts(out)
    return {"db": db, "project": project, "out": out, "before": before, "tmp": tmp_path}


def fails(env: dict, capsys: pytest.CaptureFixture[str], *message: str, args: tuple[str, ...] = ()) -> str:
    """Run main(); assert exit 2, one error line containing ``message`` parts, outputs unchanged."""
    argv = ["--project-dir", str(env["project"]), "--output-dir", str(env["out"]), *args]
    rc = main(argv)
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert rc == EXIT_BAD_INPUT, err
    assert len(errors) == 1, err
    for part in message:
        assert part in errors[0], errors[0]
    assert "Traceback" not in err
    assert snapshot(env["out"]) == env["before"]  # byte-for-byte, and no temp files left
    print(errors[0])
    return errors[0]


def test_missing_database_is_not_created(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    line = fails(env, capsys, "does not exist", str(env["db"]), "dbt build")
    assert "dbt target 'duckdb'" in line
    assert not env["db"].exists()


def test_locked_database(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    write_database(env["db"], make_events())
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys; con = duckdb.connect(sys.argv[1]); con.execute('select 1'); "
         "print('ready', flush=True); sys.stdin.read()", str(env["db"])],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        fails(env, capsys, "locked by another process", str(env["db"]), "dbt build")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_missing_training_table(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    write_database(env["db"], None)
    fails(env, capsys, "table main.final_training not found", str(env["db"]), "duckdb", "run `dbt build` first")


def test_missing_columns_table(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    write_database(env["db"], make_events(), with_columns_table=False)
    fails(env, capsys, "main.final_training_columns", "not found", str(env["db"]), "dbt build")


def test_other_table_name_missing(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    write_database(env["db"], make_events())
    fails(env, capsys, "table main.no_such_table not found", args=("--table", "no_such_table"))


def test_empty_table(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    write_database(env["db"], make_events().iloc[:0])
    fails(env, capsys, "main.final_training", "is empty")


def test_all_rows_immature(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    events = make_events()
    events["is_label_mature"] = False
    write_database(env["db"], events)
    fails(env, capsys, "immature")


def test_single_class_target(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    events = make_events()
    events[TARGET] = False
    write_database(env["db"], events)
    fails(env, capsys, "no conversions found", "longer", "conversion event")


def test_all_null_feature(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    events = make_events()
    events["num_pricing_views"] = np.nan
    write_database(env["db"], events)
    fails(env, capsys, "feature column num_pricing_views", "is null in all", "training rows")


def test_feature_of_a_type_the_step_cannot_use(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    events = make_events()
    events["num_pricing_views"] = pd.to_timedelta(events["num_pricing_views"], unit="s")
    write_database(env["db"], events, feature_types={"num_pricing_views": "INTERVAL"},
                   details={"num_pricing_views": {}})
    fails(env, capsys, "feature column num_pricing_views", "type month_day_nano_interval", "cannot use")


def test_feature_type_disagrees_with_the_contract(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    events = make_events()
    events["num_pricing_views"] = "many"
    write_database(env["db"], events, feature_types={"num_pricing_views": "VARCHAR"},
                   details={"num_pricing_views": {"feature_kind": "numeric"}})
    fails(env, capsys, "num_pricing_views", "unexpected for a numeric feature", "run `dbt build` again")


def test_every_feature_constant(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    events = make_events()
    for feature in FEATURES:
        events[feature] = 1
    write_database(env["db"], events)
    fails(env, capsys, "every feature", "is constant", "nothing to learn")


def test_contract_of_another_build(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    events = make_events()
    write_database(env["db"], events, training_row_count=len(events) + 7, build_id="older-build")
    fails(env, capsys, "final_training_columns (build older-build)", f"{len(events) + 7} rows",
          f"has {len(events)}", "different builds", "run `dbt build` again")


def test_contract_names_a_column_the_table_lacks(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    rows = column_rows([*FEATURES, "num_signup_views"])
    write_database(env["db"], make_events(), columns=rows)
    fails(env, capsys, "lacks columns num_signup_views", "different builds", "run `dbt build` again")


def test_training_side_too_small(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    write_database(env["db"], make_events())
    fails(env, capsys, "training side", "too small to fit", "at least 30 rows, 5 visitors, 5 positive and 5 negative",
          args=("--test-size", "0.999"))


def test_too_few_converting_visitors_for_the_folds(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    events = make_events(120, seed=5)
    visitors = events["domain_userid"].unique()
    converting = set(visitors[:9])
    # Only 9 visitors ever convert: 7 on the training side, not enough for 10 folds.
    mask = events["domain_userid"].isin(converting).to_numpy()
    events[TARGET] = mask & (np.arange(len(events)) % 2 == 0)
    write_database(env["db"], events)
    fails(env, capsys, "too few visitors for 10 visitor-grouped cross-validation folds", "--cv-folds",
          args=("--cv-folds", "10", "--test-size", "0.25"))


def test_time_split_without_a_stated_horizon(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [(n, r, o, "The visitor submits a form soon" if r == "target" else d) for n, r, o, d in column_rows()]
    write_database(env["db"], make_events(), columns=rows)  # a target description that states no horizon
    fails(env, capsys, "--split time needs the label horizon", "--horizon-seconds", args=("--split", "time"))


def test_time_split_horizon_shorter_than_the_builds(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    """The contract states 3600 s: a shorter --horizon-seconds would let training labels look past the cut."""
    write_database(env["db"], make_events())
    fails(env, capsys, "--horizon-seconds 60 is shorter than the label horizon", "(3600 s)",
          args=("--split", "time", "--horizon-seconds", "60"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--threshold", "1.5"), "--threshold"),
        (("--cv-folds", "1"), "--cv-folds"),
        (("--model", "forest"), "--model"),
        (("--numeric-transform", "cube"), "--numeric-transform"),
        (("--class-weight", "heavy"), "--class-weight"),
        (("--horizon-seconds", "0"), "--horizon-seconds"),
        (("--regularization-c", "0"), "--regularization-c"),
        (("--regularization-c", "nan"), "--regularization-c"),
        # options that would not apply: refused, not silently ignored
        (("--model", "hgb", "--numeric-transform", "log1p"), "--numeric-transform applies to --model logreg only"),
        (("--model", "hgb", "--regularization-c", "0.1"), "--regularization-c applies to --model logreg only"),
        (("--horizon-seconds", "3600"), "--horizon-seconds applies to --split time only"),
        (("--split", "rows", "--horizon-seconds", "3600"), "with --split rows it would change nothing"),
    ],
)
def test_bad_model_options(env: dict, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str) -> None:
    fails(env, capsys, message, args=args)


def test_no_feature_defined(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [r for r in column_rows() if r[1] != "feature"]
    write_database(env["db"], make_events(), columns=rows)
    fails(env, capsys, "no column with role 'feature'")


def test_too_few_visitors_for_the_visitor_split(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    events = make_events(40, seed=2)
    first = (events["domain_userid"] == events["domain_userid"].iloc[0]).to_numpy()
    # Only one visitor ever converts: a visitor split cannot put a conversion on both sides.
    events[TARGET] = first & (np.arange(len(events)) % 2 == 0)
    assert events[TARGET].any() and events.loc[first, TARGET].nunique() == 2
    write_database(env["db"], events)
    fails(env, capsys, "too few visitors", "1 with a conversion", "--split rows")


def test_too_few_rows_for_the_rows_split(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    events = make_events(3, seed=1).head(4)
    events[TARGET] = [True, False, False, True]
    events["is_label_mature"] = True
    write_database(env["db"], events)
    fails(env, capsys, "too few rows", args=("--split", "rows"))


def test_unknown_target(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    fails(env, capsys, "unknown target 'nope'", "duckdb, warehouse", args=("--target", "nope"))


def test_snowflake_target_without_the_optional_client(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    fails(env, capsys, "install it: pip install -r requirements.txt -r requirements-snowflake.txt",
          args=("--target", "warehouse"))


def test_profiles_dir_without_profiles(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    empty = env["tmp"] / "empty"
    empty.mkdir()
    fails(env, capsys, "profile not found", str(empty), args=("--profiles-dir", str(empty)))


def test_profile_name_not_in_profiles(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    (env["project"] / "profiles.yml").write_text("other:\n  outputs: {}\n")
    fails(env, capsys, f"no profile '{PROFILE}'")


def test_env_var_without_default(
    env: dict, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROSPECT_TEST_UNSET", raising=False)
    (env["project"] / "profiles.yml").write_text(
        f"{PROFILE}:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
        "      path: \"{{ env_var('PROSPECT_TEST_UNSET') }}\"\n"
    )
    fails(env, capsys, "Env var required but not provided: 'PROSPECT_TEST_UNSET'")


def test_no_dbt_project(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    env["project"] = env["tmp"]
    fails(env, capsys, "no dbt_project.yml")


@pytest.mark.parametrize("value", ["0", "1", "-0.1", "1.5", "abc"])
def test_bad_test_size(env: dict, capsys: pytest.CaptureFixture[str], value: str) -> None:
    fails(env, capsys, "--test-size", args=("--test-size", value))


def test_unknown_split(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    fails(env, capsys, "--split", args=("--split", "nope"))


def test_failure_after_computing_leaves_previous_outputs(
    env: dict, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_database(env["db"], make_events())

    def broken(*args: object, **kwargs: object) -> None:
        raise TrainingError("simulated failure while rendering the outputs")

    monkeypatch.setattr(prospect_model.pipeline, "build_outputs", broken)
    fails(env, capsys, "simulated failure", args=("--cv-folds", "2"))


def test_unexpected_error_exits_1_and_verbose_shows_traceback(
    env: dict, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_database(env["db"], make_events())

    def bug(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(prospect_model.pipeline, "fit_and_evaluate", bug)
    argv = ["--project-dir", str(env["project"]), "--output-dir", str(env["out"])]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "error: unexpected RuntimeError: boom (rerun with --verbose" in err
    assert "Traceback" not in err
    assert main([*argv, "--verbose"]) == 1
    assert "Traceback" in capsys.readouterr().err
    assert snapshot(env["out"]) == env["before"]


def test_table_with_nulls_in_visitor_id(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    events = make_events()
    events["domain_userid"] = events["domain_userid"].astype(object)
    events.loc[events.index[:2], "domain_userid"] = None
    write_database(env["db"], events)
    fails(env, capsys, "domain_userid", "2 null values")


def test_output_dir_is_a_file(env: dict, capsys: pytest.CaptureFixture[str]) -> None:
    write_database(env["db"], make_events())
    blocker = env["tmp"] / "not_a_dir"
    blocker.write_bytes(b"keep me")
    rc = main(["--project-dir", str(env["project"]), "--output-dir", str(blocker)])
    assert rc == EXIT_BAD_INPUT
    assert "is not a directory" in capsys.readouterr().err
    assert blocker.read_bytes() == b"keep me"


def test_a_current_folder_in_the_output_stops_before_training(
    env: dict, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older layout's `current/` folder would only stop the switch to the new run: it is found first."""
    write_database(env["db"], make_events())
    out = env["tmp"] / "old_layout"
    (out / "current").mkdir(parents=True)
    (out / "current" / "model.joblib").write_bytes(b"old model")

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("the data was read before the output folder was checked")

    monkeypatch.setattr(prospect_model.pipeline, "load_data", no_training)
    rc = main(["--project-dir", str(env["project"]), "--output-dir", str(out)])
    err = capsys.readouterr().err
    assert rc == EXIT_BAD_INPUT, err
    assert f"error: {out / 'current'} is a directory, where the link to the run in use goes" in err
    assert sorted(p.name for p in out.iterdir()) == ["current"]  # no runs/ left behind
    assert (out / "current" / "model.joblib").read_bytes() == b"old model"
