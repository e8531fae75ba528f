"""The attribute definitions the project ships and records are Snowplow Signals'
own: each preset attribute validates as the SDK's Attribute model and serializes
back to exactly the JSON the project records (final_training_columns
.signals_definition), so a catalog can go to Signals and back. The SDK
(snowplow-signals) lives in its own environment (.venv-signals, pandas<3), so the
validation runs there, in one subprocess."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from dbt_harness import run_dbt
from serving_helpers import signals_python

_VALIDATE = """
import json, sys
from snowplow_signals.models.model import Attribute
problems = []
for definition in json.load(sys.stdin):
    attribute = Attribute.model_validate(definition)
    dumped = attribute.model_dump(mode="json", exclude_none=True)
    if dumped != definition:
        problems.append({"name": definition["name"], "recorded": definition, "sdk": dumped})
print(json.dumps(problems))
"""


def test_every_preset_attribute_is_a_signals_attribute(tmp_path: Path) -> None:
    # web_full contains web_minimal, which contains tutorial.
    result = run_dbt(["run-operation", "print_signals_attributes", "--args", json.dumps({"catalog": "web_full"})],
                     tmp_path / "db.duckdb", tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    definitions = [json.loads(line.split("signals attribute: ", 1)[1])
                   for line in result.stdout.splitlines() if "signals attribute: " in line]
    assert len(definitions) >= 25
    check = subprocess.run([str(signals_python()), "-c", _VALIDATE], input=json.dumps(definitions),
                           text=True, capture_output=True, timeout=300)
    assert check.returncode == 0, check.stderr[-3000:]
    assert json.loads(check.stdout) == []
