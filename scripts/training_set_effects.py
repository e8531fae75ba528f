#!/usr/bin/env python3
"""Print the effect of the training-set design vars on a dataset (default: the sample).

For each configuration it runs `dbt run --select +final_training` into a temporary
DuckDB file and prints rows, visitors, positives and the positive rate of
final_training, as the Markdown table of README "Training-set design".
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Sequence

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
LOG = logging.getLogger("training_set_effects")

CONFIGURATIONS: list[tuple[str, dict[str, Any]]] = [
    ("defaults (the tutorial's dataset)", {}),
    ("time range 2024-03-04 to 2024-03-18", {"snowplow__start_date": "2024-03-04", "snowplow__end_date": "2024-03-18"}),
    ("cohort: first seen 20 to 7 days before the end of the data", {"snowplow__cohort_days_before_reference": [20, 7]}),
    ("drop immature labels", {"snowplow__drop_immature_labels": True}),
    ("automated: more than 20 events in a day", {"snowplow__max_events_per_day": 20}),
    ("noise events kept as rows (link_click, web_vitals, application_error)",
     {"snowplow__event_names": ["page_view", "submit_form", "link_click", "web_vitals", "application_error"]}),
]


def measure(dbt_vars: dict[str, Any], work: Path) -> tuple[int, int, int]:
    """Build final_training with the vars; return (rows, visitors, positives)."""
    db = work / "effects.duckdb"
    db.unlink(missing_ok=True)
    env = {**os.environ, "DBT_DUCKDB_PATH": str(db), "DBT_TARGET": "duckdb", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [str(Path(sys.executable).with_name("dbt")), "run", "--select", "+final_training",
               "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
               "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
               "--vars", json.dumps(dbt_vars)]
    result = subprocess.run(command, env=env, cwd=PROJECT_DIR, text=True, capture_output=True)
    if result.returncode != 0:
        raise SystemExit(f"error: dbt run failed for {dbt_vars}:\n{result.stdout[-2000:]}")
    with duckdb.connect(str(db), read_only=True) as con:
        rows, visitors, positives = con.execute(
            "select count(*), count(distinct domain_userid), "
            "coalesce(sum(case when target_had_submit_form_next1h then 1 else 0 end), 0) from final_training"
        ).fetchall()[0]
    return int(rows), int(visitors), int(positives)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events-file", help="events file to use instead of the shipped sample (snowplow__events_file)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    base = {"snowplow__events_file": args.events_file} if args.events_file else {}
    print("| configuration | rows | visitors | positives | positive rate |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, dbt_vars in CONFIGURATIONS:
            rows, visitors, positives = measure({**base, **dbt_vars}, Path(tmp))
            rate = f"{positives / rows:.1%}" if rows else "n/a"
            print(f"| {name} `{json.dumps(dbt_vars) if dbt_vars else ''}` | {rows:,} | {visitors:,} | {positives:,} | {rate} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
