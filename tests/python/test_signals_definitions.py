"""The attribute definitions the project ships and records are Snowplow Signals'
own: each preset attribute validates as the SDK's Attribute model and serializes
back to exactly the JSON the project records (final_training_columns
.signals_definition), so a catalog can go to Signals and back. Needs the SDK
(snowplow-signals); skipped without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dbt_harness import run_dbt

model = pytest.importorskip("snowplow_signals.models.model")


def test_every_preset_attribute_is_a_signals_attribute(tmp_path: Path) -> None:
    # web_full contains web_minimal, which contains tutorial.
    result = run_dbt(["run-operation", "print_signals_attributes", "--args", json.dumps({"catalog": "web_full"})],
                     tmp_path / "db.duckdb", tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    definitions = [json.loads(line.split("signals attribute: ", 1)[1])
                   for line in result.stdout.splitlines() if "signals attribute: " in line]
    assert len(definitions) >= 25
    for definition in definitions:
        attribute = model.Attribute.model_validate(definition)
        assert attribute.model_dump(mode="json", exclude_none=True) == definition, definition["name"]
