"""prospect-signals export: the model's features as a Signals attribute group and service.

Run in .venv-signals (the SDK, snowplow-signals, needs pandas<3). The export is
validated by the SDK's own models when written and read back here; --publish is
tested up to the SDK's HTTP calls, against a local stand-in of the Signals API
(sandbox credentials) and, for the API-key credentials, with the SDK's
``Signals.publish`` replaced (its real call needs Snowplow's console: it cannot be
tested here).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import serving_helpers as sh

OWNER = "data-team@example.com"


@pytest.fixture(scope="module")
def signals_python() -> Path:
    return sh.signals_python()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("export_model")
    return sh.fit(sh.rich_database(work / "rich.duckdb"), work / "model")


def export(python: Path | str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), "-m", "prospect_model.signals_export", "export", *args],
                          env=env or sh.package_env(), text=True, capture_output=True, timeout=120)


def in_signals_env(python: Path, code: str, *args: str) -> Any:
    """Run ``code`` in .venv-signals; it prints one JSON value, returned here."""
    result = subprocess.run([str(python), "-c", code, *args], env=sh.package_env(), text=True,
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


REVALIDATE = """
import json, sys
from snowplow_signals import Service, StreamAttributeGroup
document = json.load(open(sys.argv[1]))
group = StreamAttributeGroup.model_validate(document["attribute_group"])
service = Service.model_validate(document["service"])
dump = dict(mode="json", exclude_none=True, by_alias=True)
print(json.dumps({"group_roundtrip": group.model_dump(**dump) == document["attribute_group"],
                  "service_roundtrip": service.model_dump(**dump) == document["service"],
                  "type": type(group).__name__, "offline": group.offline,
                  "key": group.attribute_key.name}))
"""


def test_export_writes_the_group_and_service_validated_by_the_sdk(signals_python: Path, model_dir: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "signals.json"
    result = export(signals_python, "--model-dir", str(model_dir), "--owner", OWNER, "--output", str(out),
                    "--group-name", "prospects", "--group-version", "3", "--service-name", "prospect_api")
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text())
    metadata = json.loads((model_dir / "metadata.json").read_text())
    group, service = document["attribute_group"], document["service"]
    assert (group["name"], group["version"], group["owner"]) == ("prospects", 3, OWNER)
    assert group["attribute_key"]["name"] == "domain_userid" and group["offline"] is False
    assert [a["name"] for a in group["attributes"]] == metadata["features"] == document["features"]
    for attribute, entry in zip(group["attributes"], metadata["feature_contract"], strict=True):
        definition = entry["signals_definition"]
        assert {k: v for k, v in attribute.items() if k != "description"} == definition
        assert attribute["description"] == entry["description"]
    assert service["name"] == "prospect_api" and service["attribute_groups"] == [{"name": "prospects", "version": 3}]
    assert document["model"] == {"trained_at": metadata["trained_at_utc"], "kind": "logreg",
                                 "data_fingerprint": metadata["data_fingerprint"]["sha256"],
                                 "target": metadata["target"]}
    assert document["sdk"] == {"package": "snowplow-signals", "version": "0.4.10"}
    checked = in_signals_env(signals_python, REVALIDATE, str(out))
    assert checked == {"group_roundtrip": True, "service_roundtrip": True, "type": "StreamAttributeGroup",
                       "offline": False, "key": "domain_userid"}
    assert [p.name for p in tmp_path.iterdir()] == ["signals.json"]  # written atomically, nothing left over


def test_default_output_is_beside_the_model_and_stdout_works(signals_python: Path, model_dir: Path,
                                                             tmp_path: Path) -> None:
    result = export(signals_python, "--model-dir", str(model_dir), "--output", "-",
                    env=sh.package_env(SNOWPLOW_SIGNALS_OWNER=OWNER))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["attribute_group"]["name"] == "prospect_scoring"
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "metadata.json").write_text((model_dir / "metadata.json").read_text())
    assert export(signals_python, "--model-dir", str(folder), "--owner", OWNER).returncode == 0
    assert json.loads((folder / "signals_export.json").read_text())["service"]["name"] == "prospect_scoring"


def _with_contract(model_dir: Path, tmp_path: Path, change: Any) -> Path:
    metadata = json.loads((model_dir / "metadata.json").read_text())
    change(metadata["feature_contract"])
    folder = tmp_path / "changed"
    folder.mkdir()
    (folder / "metadata.json").write_text(json.dumps(metadata))
    return folder


def _set(index: int, **values: Any) -> Any:
    return lambda contract: contract[index].update(values)


def _definition(index: int, **values: Any) -> Any:
    return lambda contract: contract[index].update(signals_definition={**contract[index]["signals_definition"], **values})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set(4, signals_definition=None), "feature(s) is_mobile have no Signals definition"),
        (_definition(0, aggregation="median"), "the Signals definition of feature num_page_views is not valid for "
                                               "snowplow-signals 0.4.10: aggregation:"),
        (_definition(1, type="integer"), "num_pricing_views is not valid"),
        (_definition(2, windoww="P7D"), "num_customers_views has fields the SDK does not know: windoww"),
        (_definition(2, name="other"), "the Signals definition of feature num_customers_views is named 'other'"),
        (_set(0, signals_definition="{not json"), "signals_definition of feature num_page_views is not JSON"),
    ],
)
def test_a_contract_the_sdk_refuses_is_one_line(signals_python: Path, model_dir: Path, tmp_path: Path,
                                                change: Any, message: str) -> None:
    folder = _with_contract(model_dir, tmp_path, change)
    result = export(signals_python, "--model-dir", str(folder), "--owner", OWNER)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (folder / "signals_export.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--owner (an e-mail) is required by Signals"),
        (["--owner", "not-an-email"], "invalid attribute group or service: owner:"),
        (["--owner", OWNER, "--group-name", "bad name"], "invalid attribute group or service: name:"),
        (["--owner", OWNER, "--group-version", "0"], "argument --group-version: must be 1 or more"),
        (["--owner", OWNER, "--model-dir", "/nonexistent"], "/nonexistent/metadata.json not found; train first"),
    ],
)
def test_bad_options_are_one_line(signals_python: Path, model_dir: Path, args: list[str], message: str) -> None:
    if "--model-dir" not in args:
        args = [*args, "--model-dir", str(model_dir), "--output", "-"]
    result = export(signals_python, *args)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_without_the_sdk_it_says_which_requirements_to_install(model_dir: Path) -> None:
    result = export(sys.executable, "--model-dir", str(model_dir), "--owner", OWNER)
    assert result.returncode == 2
    assert "snowplow-signals) is not installed" in result.stderr
    assert "bash scripts/emulators/setup.sh signals" in result.stderr
    assert ".venv-signals/bin/prospect-signals" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_signals_environment_has_the_prospect_signals_command(signals_python: Path, model_dir: Path,
                                                                     tmp_path: Path) -> None:
    """setup.sh signals links the project into .venv-signals: its prospect-signals runs with no PYTHONPATH."""
    env = {k: v for k, v in sh.package_env().items() if k != "PYTHONPATH"}
    out = tmp_path / "signals.json"
    result = subprocess.run([str(signals_python.parent / "prospect-signals"), "export", "--model-dir", str(model_dir),
                             "--owner", OWNER, "--output", str(out)], env=env, text=True, capture_output=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(out.read_text())


def test_publish_without_credentials_names_the_missing_variables(signals_python: Path, model_dir: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    result = export(signals_python, "--model-dir", str(model_dir), "--owner", OWNER, "--output", str(out), "--publish",
                    env=sh.package_env(SNOWPLOW_SIGNALS_API_URL="http://127.0.0.1:9", SNOWPLOW_SIGNALS_ORG_ID="org"))
    assert result.returncode == 2
    assert result.stderr.strip() == ("error: --publish needs the Signals credentials in the environment: missing "
                                     "SNOWPLOW_SIGNALS_API_KEY, SNOWPLOW_SIGNALS_API_KEY_ID")
    assert not out.exists()
    nothing = export(signals_python, "--model-dir", str(model_dir), "--owner", OWNER, "--publish")
    assert "missing SNOWPLOW_SIGNALS_API_URL, SNOWPLOW_SIGNALS_API_KEY, SNOWPLOW_SIGNALS_API_KEY_ID, " \
           "SNOWPLOW_SIGNALS_ORG_ID" in nothing.stderr


def test_publish_sends_the_group_then_the_service_through_the_sdk(signals_python: Path, model_dir: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "signals.json"
    with sh.run_signals_standin(signals_python, {}, tmp_path) as (url, log):
        env = sh.package_env(SNOWPLOW_SIGNALS_API_URL=url, SNOWPLOW_SIGNALS_SANDBOX_TOKEN=sh.SANDBOX_TOKEN)
        result = export(signals_python, "--model-dir", str(model_dir), "--owner", OWNER, "--output", str(out),
                        "--publish", env=env)
        assert result.returncode == 0, result.stderr
        requests = sh.requests_logged(log)
        refused = export(signals_python, "--model-dir", str(model_dir), "--owner", OWNER, "--output", "-",
                         "--publish", env={**env, "SNOWPLOW_SIGNALS_SANDBOX_TOKEN": "wrong"})
    document = json.loads(out.read_text())
    assert [r["path"] for r in requests] == ["/api/v1/registry/attribute_groups/", "/api/v1/registry/services/"]
    assert all(r["authorization"] == f"Bearer {sh.SANDBOX_TOKEN}" and r["sdk"] == "signals-py 0.4.10"
               for r in requests)
    group, service = requests[0]["body"], requests[1]["body"]
    assert group["is_published"] is True and service["is_published"] is True
    assert {**group, "is_published": False} == document["attribute_group"]
    assert {**service, "is_published": False} == document["service"]
    assert "published 2 objects to Signals" in result.stderr
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1].startswith("error: Signals refused the publish: [Signals API] 401")


PUBLISH_WITH_API_KEY = """
import json, sys
import snowplow_signals
from prospect_model import signals_export
calls = []
def fake_publish(self, objects):
    client = self.api_client
    calls.append({"api_url": client.api_url, "api_key": client.api_key, "api_key_id": client.api_key_id,
                  "org_id": client.org_id, "auth_mode": client.auth_mode,
                  "objects": [type(o).__name__ for o in objects]})
    return objects
snowplow_signals.Signals.publish = fake_publish
status = signals_export.main(["export", "--model-dir", sys.argv[1], "--owner", "a@example.com", "--output",
                              sys.argv[2], "--publish"])
print(json.dumps({"status": status, "calls": calls}))
"""


def test_publish_with_an_api_key_builds_the_sdk_client_from_the_environment(
    signals_python: Path, model_dir: Path, tmp_path: Path
) -> None:
    env = sh.package_env(SNOWPLOW_SIGNALS_API_URL="https://signals.example.com/", SNOWPLOW_SIGNALS_API_KEY="key",
                         SNOWPLOW_SIGNALS_API_KEY_ID="key-id", SNOWPLOW_SIGNALS_ORG_ID="org-1")
    result = subprocess.run([str(signals_python), "-c", PUBLISH_WITH_API_KEY, str(model_dir), str(tmp_path / "o.json")],
                            env=env, text=True, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"status": 0, "calls": [{
        "api_url": "https://signals.example.com", "api_key": "key", "api_key_id": "key-id", "org_id": "org-1",
        "auth_mode": "bdp", "objects": ["StreamAttributeGroup", "Service"]}]}


def test_help_documents_every_option(signals_python: Path) -> None:
    result = export(signals_python, "--help")
    assert result.returncode == 0
    for option in ("--model-dir", "--output", "--group-name", "--group-version", "--service-name", "--owner",
                   "--description", "--publish", "--verbose", "SNOWPLOW_SIGNALS_API_URL"):
        assert option in result.stdout
