"""Finding the database the way dbt does, and the reader registry."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from conftest_train_helpers import PROFILES_YML, make_events, make_project, write_database
from prospect_model.duckdb_reader import DuckDBReader
from prospect_model.errors import TrainingError
from prospect_model.profiles import TargetConfig, env_var, resolve_target
from prospect_model.readers import TableReader, open_reader, register_reader


@pytest.fixture(autouse=True)
def _no_dbt_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DBT_PROFILES_DIR", "DBT_TARGET", "DBT_PROJECT_DIR", "DBT_DUCKDB_PATH"):
        monkeypatch.delenv(name, raising=False)


def test_relative_path_is_resolved_against_the_working_directory_as_dbt_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project")
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    target = resolve_target(project_dir=project)
    assert (target.profile_name, target.target_name, target.type) == ("prospect_scoring", "duckdb", "duckdb")
    assert target.settings["path"] == "prospect_scoring.duckdb"
    assert target.profiles_path == project / "profiles.yml"
    with pytest.raises(TrainingError, match="does not exist"):
        DuckDBReader(target)
    # dbt-duckdb opens a relative path from the directory dbt runs in: so does the training step.
    write_database(workdir / "prospect_scoring.duckdb", make_events(30))
    with DuckDBReader(target) as reader:
        assert reader.path == workdir / "prospect_scoring.duckdb"
        assert reader.table_schema("final_training") is not None
        assert reader.table_schema("nope") is None


def test_a_relative_path_that_only_exists_beside_the_project_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(tmp_path / "project")
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    write_database(project / "prospect_scoring.duckdb", make_events(30))
    with pytest.raises(TrainingError) as error:
        DuckDBReader(resolve_target(project_dir=project))
    message = str(error.value)
    assert str(workdir / "prospect_scoring.duckdb") in message and str(project / "prospect_scoring.duckdb") in message
    assert "absolute path" in message
    monkeypatch.chdir(project)
    with caplog.at_level("INFO"), DuckDBReader(resolve_target(project_dir=project)):
        pass
    assert f"reading DuckDB database {project / 'prospect_scoring.duckdb'} (last written" in caplog.text


def test_setting_rule_is_shared() -> None:
    from prospect_model.readers import setting

    assert setting({"a": "", "b": "0", "c": 0, "d": None, "e": "x"}, "a", "b", "c", "d", "e") == "x"
    assert setting({"port": 8085}, "port") == 8085 and setting({}, "x") is None


def test_env_var_and_profiles_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "project", profiles="")
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "profiles.yml").write_text(PROFILES_YML)
    monkeypatch.setenv("DBT_PROFILES_DIR", str(profiles))
    monkeypatch.setenv("DBT_DUCKDB_PATH", "/data/x.duckdb")
    target = resolve_target(project_dir=project)
    assert target.settings["path"] == "/data/x.duckdb"
    assert target.profiles_path == profiles / "profiles.yml"
    monkeypatch.setenv("DBT_TARGET", "warehouse")
    assert resolve_target(project_dir=project).type == "snowflake"
    assert resolve_target(project_dir=project, target="duckdb").type == "duckdb"


def test_env_var_semantics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROSPECT_X", "set")
    monkeypatch.delenv("PROSPECT_Y", raising=False)
    assert env_var("PROSPECT_X", "default") == "set"
    assert env_var("PROSPECT_Y", "default") == "default"
    with pytest.raises(Exception, match="PROSPECT_Y"):
        env_var("PROSPECT_Y")


def test_in_memory_duckdb_target_is_rejected(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, profiles="prospect_scoring:\n  target: mem\n  outputs:\n    mem:\n      type: duckdb\n"
    )
    with pytest.raises(TrainingError, match="in-memory"):
        open_reader(resolve_target(project_dir=project))


def test_bigquery_without_the_optional_client_and_unknown_types(tmp_path: Path) -> None:
    def target(kind: str) -> TargetConfig:
        return TargetConfig("p", "t", kind, {"type": kind}, tmp_path, tmp_path / "profiles.yml")

    with pytest.raises(TrainingError, match=r"install it: pip install -r requirements\.txt -r requirements-bigquery"):
        open_reader(target("bigquery"))
    with pytest.raises(TrainingError, match="unsupported target type 'postgres'"):
        open_reader(target("postgres"))


def test_new_reader_types_can_be_registered(tmp_path: Path) -> None:
    class FakeReader(TableReader):
        def location(self) -> str:
            return "fake"

        def qualified_name(self, table: str) -> str:
            return table

        def table_schema(self, table: str) -> pa.Schema | None:
            return None

        def read_table(self, table, columns=None, *, where_true=None, order_by=(), key_columns=()):
            return pa.table({})

    register_reader("fakewarehouse", FakeReader)
    config = TargetConfig("p", "t", "fakewarehouse", {}, tmp_path, tmp_path / "profiles.yml")
    with open_reader(config) as reader:
        assert isinstance(reader, FakeReader)
