"""The snowflake and bigquery targets of profiles.yml and the training step's warehouse readers,
without a warehouse client (the default install): settings, errors, the optional-install message."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from prospect_model.errors import TrainingError
from prospect_model.profiles import resolve_target
from prospect_model.readers import open_reader, supported_types
from prospect_model.snowflake_reader import connect_params

PROJECT_DIR = Path(__file__).resolve().parents[2]

SNOWFLAKE_ENV = {
    "SNOWFLAKE_ACCOUNT": "my_org-my_account",
    "SNOWFLAKE_USER": "loader",
    "SNOWFLAKE_PASSWORD": "not-a-real-password",
    "SNOWFLAKE_ROLE": "transformer",
    "SNOWFLAKE_WAREHOUSE": "transforming",
    "SNOWFLAKE_DATABASE": "analytics",
}
BIGQUERY_ENV = {"BIGQUERY_PROJECT": "my-project"}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith(("SNOWFLAKE_", "BIGQUERY_", "DBT_")):
            monkeypatch.delenv(name)


def target(name: str):
    return resolve_target(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR, target=name)


def test_warehouse_targets_take_every_credential_and_location_from_the_environment() -> None:
    outputs = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text())["prospect_scoring"]["outputs"]
    expected = {
        "snowflake": ["account", "user", "password", "private_key_path", "private_key_passphrase", "role",
                      "warehouse", "database", "schema", "host", "port", "protocol"],
        "bigquery": ["method", "project", "dataset", "location", "keyfile", "token", "api_endpoint"],
    }
    for name, keys in expected.items():
        settings = outputs[name]
        assert settings["type"] == name
        for key in keys:
            assert "env_var(" in str(settings[key]), f"{name}.{key} is not read from the environment"


def test_snowflake_target_renders_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in SNOWFLAKE_ENV.items():
        monkeypatch.setenv(key, value)
    settings = target("snowflake").settings
    assert settings["account"] == "my_org-my_account"
    assert settings["schema"] == "prospect_scoring"
    params = connect_params(target("snowflake"))
    assert params["account"] == "my-org-my-account"
    assert params["user"] == "loader" and params["password"] == "not-a-real-password"
    assert params["database"] == "analytics" and params["warehouse"] == "transforming"
    # Unset host/port/protocol (empty, 0) are left to the connector: the account's URL.
    assert not {"host", "port", "protocol", "private_key_file"} & set(params)


def test_snowflake_emulator_and_key_pair_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in SNOWFLAKE_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("SNOWFLAKE_PASSWORD", "")
    monkeypatch.setenv("SNOWFLAKE_PRIVATE_KEY_PATH", "/keys/rsa_key.p8")
    monkeypatch.setenv("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE", "pass")
    monkeypatch.setenv("SNOWFLAKE_HOST", "127.0.0.1")
    monkeypatch.setenv("SNOWFLAKE_PORT", "8085")
    monkeypatch.setenv("SNOWFLAKE_PROTOCOL", "http")
    params = connect_params(target("snowflake"))
    assert "password" not in params
    assert params["private_key_file"] == "/keys/rsa_key.p8" and params["private_key_file_pwd"] == "pass"
    assert (params["host"], params["port"], params["protocol"]) == ("127.0.0.1", 8085, "http")


def test_snowflake_target_names_the_missing_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in SNOWFLAKE_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("SNOWFLAKE_ACCOUNT")
    with pytest.raises(TrainingError, match="SNOWFLAKE_ACCOUNT"):
        target("snowflake")


def test_bigquery_target_renders_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in BIGQUERY_ENV.items():
        monkeypatch.setenv(key, value)
    settings = target("bigquery").settings
    assert (settings["method"], settings["project"], settings["dataset"], settings["location"]) == (
        "oauth", "my-project", "prospect_scoring", "US")
    assert settings["api_endpoint"] == "" and settings["token"] == ""
    monkeypatch.delenv("BIGQUERY_PROJECT")
    with pytest.raises(TrainingError, match="BIGQUERY_PROJECT"):
        target("bigquery")


def test_warehouse_types_are_supported() -> None:
    assert {"duckdb", "snowflake", "bigquery"} <= set(supported_types())


@pytest.mark.parametrize(
    ("name", "env", "hidden_modules", "hint"),
    [
        ("snowflake", SNOWFLAKE_ENV, ("snowflake", "snowflake.connector"), "requirements-snowflake.txt"),
        ("bigquery", BIGQUERY_ENV, ("google.cloud.bigquery",), "requirements-bigquery.txt"),
    ],
)
def test_missing_client_says_what_to_install(
    name: str, env: dict[str, str], hidden_modules: tuple[str, ...], hint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for module in hidden_modules:  # as if the optional client were not installed
        monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(TrainingError) as error:
        open_reader(target(name))
    message = str(error.value)
    assert "install it: pip install -r requirements.txt -r " + hint in message
    assert "\n" not in message
