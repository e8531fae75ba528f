"""The scoring API over real HTTP: uvicorn in a subprocess on 127.0.0.1, called with httpx.

One server process for the module (the Python of .venv-signals, which has the
SDK), reading Signals from a local stand-in of the attributes endpoint built
with the SDK's own response models (signals_standin.py), always terminated.
The model is a logreg fitted by train/fit.py on the rich database (every
feature kind). The same visitor scored through the API (with attributes, and
with domain_userid through Signals), through ``serving`` and through the
pipeline on its final_training row gives the same number.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

import conftest_train_helpers as helpers
import serving_helpers as sh
from prospect_model.serving import ServingModel
from test_serving import mature_rows, signals_answer, training_frame

TIMEOUT = httpx.Timeout(10.0)
N_VISITORS = 6


@dataclass(frozen=True)
class Served:
    url: str
    standin_log: Path
    model: ServingModel
    rows: list[dict[str, Any]]
    pipeline_scores: np.ndarray


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("serving_http")
    db = sh.rich_database(work / "rich.duckdb")
    model_dir = sh.fit(db, work / "logreg")
    model = ServingModel.load(model_dir)
    rows = mature_rows(db, model.features)
    project = helpers.make_project(work / "project")
    with pytest.MonkeyPatch.context() as monkeypatch:
        frame = training_frame(db, project, monkeypatch)
    # the pipeline on each visitor's final_training row (as training converted it), one row at a time as served
    pipeline_scores = np.array([model.model.predict_proba(frame.iloc[[i]])[0, 1] for i in range(N_VISITORS)])
    # what Signals holds for visitor-i: the attribute values of training row i (qualified names)
    visitors = {}
    for i, row in enumerate(rows[:N_VISITORS]):
        answer = signals_answer(row, qualify=True)
        answer.pop("domain_userid")
        visitors[f"visitor-{i}"] = answer
    python = sh.signals_python()
    with sh.run_signals_standin(python, visitors, work) as (signals_url, log_file):
        env = sh.package_env(SNOWPLOW_SIGNALS_API_URL=signals_url, SNOWPLOW_SIGNALS_SANDBOX_TOKEN=sh.SANDBOX_TOKEN)
        with sh.run_server(python, model_dir, env=env, extra_args=["--max-body-bytes", "4096"]) as url:
            yield Served(url, log_file, model, rows[:N_VISITORS], pipeline_scores)


def post(served: Served, body: Any) -> httpx.Response:
    return httpx.post(f"{served.url}/predict", json=body, timeout=TIMEOUT)


def test_health(served: Served) -> None:
    response = httpx.get(f"{served.url}/health", timeout=TIMEOUT)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["features"] == served.model.features
    assert body["signals_configured"] is True and body["model"]["kind"] == "logreg"


def test_attributes_score_as_serving_and_the_pipeline_on_the_training_row(served: Served) -> None:
    for i, row in enumerate(served.rows):
        attributes = signals_answer(row, qualify=i % 2 == 0)
        response = post(served, {"attributes": attributes})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["score"] == served.model.score(attributes).score == served.pipeline_scores[i]
        assert body["is_prospect"] == (body["score"] >= served.model.threshold)
        assert body["source"] == "attributes" and body["model"]["kind"] == "logreg"


def test_domain_userid_reads_signals_and_scores_the_same(served: Served) -> None:
    for i in range(len(served.rows)):
        response = post(served, {"domain_userid": f"visitor-{i}"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["source"] == "signals" and body["domain_userid"] == f"visitor-{i}"
        assert body["score"] == served.pipeline_scores[i]
    requests = sh.requests_logged(served.standin_log)
    reads = [r for r in requests if r["path"] == "/api/v1/get-online-attributes"]
    assert len(reads) >= len(served.rows)
    assert all(r["authorization"] == f"Bearer {sh.SANDBOX_TOKEN}" for r in reads)


def test_an_unknown_visitor_gets_the_contract_defaults(served: Served) -> None:
    response = post(served, {"domain_userid": "nobody-we-know"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["score"] == served.model.score({}).score
    assert sorted(body["defaulted"]) == sorted(served.model.features)


@pytest.mark.parametrize("body", [
    {},
    {"attributes": 5},
    {"attributes": {}, "domain_userid": "x"},
    {"domain_userid": ""},
    {"attributes": {"num_page_views": "many"}},
    {"attributes": {"num_sessions": 3}},
    [1, 2, 3],
], ids=["empty", "not_an_object", "both", "empty_id", "wrong_type", "list_expected", "array"])
def test_bad_bodies_get_422_with_a_message(served: Served, body: Any) -> None:
    response = post(served, body)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["error"], str) and response.json()["error"]


def test_attributes_none_of_which_is_a_feature_get_422(served: Served) -> None:
    response = post(served, {"attributes": {"num_page_view": 3}})
    assert response.status_code == 422, response.text
    assert response.json()["error"].startswith("none of the attributes given is a feature of this model")


def test_invalid_json_and_oversized_bodies_are_rejected(served: Served) -> None:
    broken = httpx.post(f"{served.url}/predict", content=b"{not json", timeout=TIMEOUT,
                        headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["error"]
    big = {"attributes": {f"unknown_{i}": "x" * 50 for i in range(100)}}
    assert len(json.dumps(big)) > 4096
    response = post(served, big)
    assert response.status_code == 413, response.text
    assert "error" in response.json()
    # streamed in chunks, without a content-length: the same 413, not a body-parsing 400
    def chunks():
        payload = json.dumps(big).encode()
        for start in range(0, len(payload), 1000):
            yield payload[start:start + 1000]
    chunked = httpx.post(f"{served.url}/predict", content=chunks(), timeout=TIMEOUT,
                         headers={"content-type": "application/json"})
    assert chunked.status_code == 413, chunked.text
    assert chunked.json()["error"] == "request body larger than 4096 bytes"
    small = json.dumps({"attributes": {"num_page_views": 2}}).encode()
    streamed = httpx.post(f"{served.url}/predict", content=iter([small[:10], small[10:]]), timeout=TIMEOUT,
                          headers={"content-type": "application/json"})
    assert streamed.status_code == 200, streamed.text
    assert httpx.get(f"{served.url}/health", timeout=TIMEOUT).status_code == 200  # still serving
