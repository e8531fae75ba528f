"""tests/python/fuzz_oracle.py, the randomised search against the brute-force oracle: one
trial builds and equals the oracle; a difference is reported with exit 1 and the trial kept."""

from __future__ import annotations

import dataclasses
import json
import logging
import random
from pathlib import Path
from typing import Any

import pytest

import catalogs
import fuzz_oracle
import nasty_events


def test_draws_are_valid_configurations() -> None:
    rng = random.Random(11)
    for _ in range(500):
        trial = fuzz_oracle.draw_trial(rng, [300, 600], ["tutorial", "web_full"])
        assert trial.conversion_event in trial.event_names
        assert set(trial.app_ids) <= set(fuzz_oracle.APP_IDS) and trial.app_ids
        if trial.start_date and trial.end_date:
            assert trial.start_date < trial.end_date
        assert trial.n_events in (300, 600) and trial.catalog in ("tutorial", "web_full")


def test_bad_options_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        fuzz_oracle.main(["--trials", "0"])
    assert raised.value.code == 2
    assert "positive whole numbers" in capsys.readouterr().err


def test_a_trial_equals_the_oracle_and_a_difference_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    """One build: the oracle's real answer equals the built table except for the one value this
    test changes, which the tool reports (exit 1), keeping the trial's events and vars."""
    real_oracle = fuzz_oracle.oracle
    planted: dict[str, Any] = {}

    def oracle_with_one_change(*args: Any) -> dict[str, dict[str, Any]]:
        expected = real_oracle(*args)
        event_id = sorted(expected)[0]
        changed = {key: dict(row) for key, row in expected.items()}
        changed[event_id]["n_any_events"] = (changed[event_id]["n_any_events"] or 0) + 1000
        planted["event_id"] = event_id
        return changed

    monkeypatch.setattr(fuzz_oracle, "oracle", oracle_with_one_change)
    caplog.set_level(logging.INFO, logger="fuzz_oracle")
    code = fuzz_oracle.main(["--seed", "5", "--trials", "1", "--sizes", "300", "--catalogs", "every_aggregation",
                             "--work-dir", str(tmp_path)])
    assert code == 1
    messages = [record.getMessage() for record in caplog.records]
    assert any("DIFFERS (1 lines" in message for message in messages), messages
    assert any(message.strip().startswith(f"row {planted['event_id']}, n_any_events: built ")
               for message in messages), messages
    kept = tmp_path / "trial_001"
    assert json.loads((kept / "vars.json").read_text())["snowplow__attributes"][0]["name"]
    assert (kept / "events.parquet").exists()


def test_vars_that_keep_no_row_event_give_an_empty_oracle() -> None:
    """A drawn app id may have no event of the drawn row events: final_training is empty, and so is the oracle."""
    events = nasty_events.catalog_rows(n_events=200, seed=2)
    trial = fuzz_oracle.Trial(seed=2, n_events=200, catalog="tutorial", app_ids=["no-such-app"],
                              event_names=["page_view", "submit_form"], conversion_event="submit_form",
                              horizon_seconds=3600, start_date=None, end_date=None)
    assert fuzz_oracle.oracle(trial, events, catalogs.EVERY_AGGREGATION) == {}
    kept = dataclasses.replace(trial, app_ids=["website"])
    assert fuzz_oracle.oracle(kept, events, catalogs.EVERY_AGGREGATION)
