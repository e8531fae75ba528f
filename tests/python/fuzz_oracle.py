#!/usr/bin/env python3
"""A randomised search for values where the built final_training and the brute-force oracle differ.

The test suite compares the two on fixed seeds and configurations
(test_attribute_catalog.py, test_final_training_semantics.py, the build matrix). This tool
repeats the comparison on new ones for as long as wanted, before a release or after a
change to the SQL of the attributes (`make fuzz`, or
`PYTHONPATH=scripts python tests/python/fuzz_oracle.py --help`: the test helpers and
scripts/generate_events.py are imported as pytest's pythonpath gives them). Each trial:
  * generates nasty events (nasty_events.catalog_rows: duplicated ids, null keys, other
    apps, ties at one instant, nulls in properties, history-only page pings, the catalog's
    edge cases) with a seed of its own;
  * picks a catalog (a preset, or the every-aggregation catalog of catalogs.py) and valid
    vars at random: app ids, row event names, conversion event, label horizon, a time range;
  * builds on a fresh DuckDB file (`dbt build --exclude-resource-type unit_test`, every
    model and data test) and compares every value of final_training with the oracle
    (bruteforce.py) staged and labelled with the same vars.
One line per trial. Exit 0 when every trial is equal, 1 when one differs or its build
fails (the first differences printed; that trial's events file and vars kept in
--work-dir to reproduce it), 2 for a bad option. A trial is re-run exactly from the
printed seed: `--seed <seed> --trials 1` with the same --sizes and --catalogs.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

import bruteforce
import catalogs
import nasty_events
from dbt_harness import run_dbt

LOG = logging.getLogger("fuzz_oracle")
CATALOG_CHOICES = (*catalogs.PRESETS, "every_aggregation")
APP_IDS = ("website", "docs-site", "mobile-app")
ROW_EVENT_CHOICES = ("page_view", "submit_form", "link_click", "web_vitals", "application_error")
CONVERSIONS = ("submit_form", "link_click")
HORIZONS = (1, 60, 1800, 3600, 86400, 7 * 86400)
# The generated events span 2024-03-01 to about 2024-03-22 (scripts/generate_events.py).
RANGE_BOUNDS = ("2024-03-02", "2024-03-05 06:30:00", "2024-03-10", "2024-03-15 12:00:00", "2024-03-21")


@dataclass(frozen=True)
class Trial:
    """One configuration: the events' seed and size, the catalog and the vars."""

    seed: int
    n_events: int
    catalog: str
    app_ids: list[str]
    event_names: list[str]
    conversion_event: str
    horizon_seconds: int
    start_date: str | None
    end_date: str | None

    def dbt_vars(self, events_file: Path) -> dict[str, Any]:
        """The trial's vars, as `dbt build --vars` takes them."""
        return {
            "snowplow__events_file": str(events_file),
            "snowplow__attributes": catalogs.attributes_var(self.catalog),
            "snowplow__app_ids": self.app_ids,
            "snowplow__event_names": self.event_names,
            "snowplow__conversion_event": self.conversion_event,
            "snowplow__horizon_seconds": self.horizon_seconds,
            "snowplow__start_date": self.start_date,
            "snowplow__end_date": self.end_date,
        }


def draw_trial(rng: random.Random, sizes: list[int], catalog_names: list[str]) -> Trial:
    """A random valid configuration (the conversion event is always a row event; start < end)."""
    conversion = rng.choice(CONVERSIONS)
    others = rng.sample(ROW_EVENT_CHOICES, rng.randint(1, 3))
    start, end = sorted(rng.sample(RANGE_BOUNDS, 2))
    return Trial(
        seed=rng.randrange(1, 10**6),
        n_events=rng.choice(sizes),
        catalog=rng.choice(catalog_names),
        app_ids=["website"] if rng.random() < 0.5 else sorted(rng.sample(APP_IDS, rng.randint(1, 3))),
        event_names=sorted({conversion, *others}),
        conversion_event=conversion,
        horizon_seconds=rng.choice(HORIZONS),
        start_date=start if rng.random() < 0.35 else None,
        end_date=end if rng.random() < 0.35 else None,
    )


def read_build(db_path: Path) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """final_training keyed by event_id, and the attribute definitions its contract records."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        frame = con.execute("select * from final_training").df()
        definitions = con.execute("select signals_definition from final_training_columns "
                                  "where column_role = 'feature' order by ordinal").fetchall()
    return bruteforce.rows_by_event_id(frame), [json.loads(definition) for (definition,) in definitions]


def oracle(trial: Trial, events: list[dict[str, Any]], attributes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """final_training by brute force, staged and labelled with the trial's vars."""
    try:
        staged = bruteforce.stage(events, app_ids=trial.app_ids, event_names=trial.event_names,
                                  attributes=attributes, start_date=trial.start_date, end_date=trial.end_date)
    except bruteforce.NoEventPasses:
        return {}  # no row event passes the vars' filters: final_training is empty
    return bruteforce.final_training(staged, conversion_event=trial.conversion_event,
                                     horizon=trial.horizon_seconds, attributes=attributes)


def differences(actual: dict[str, dict[str, Any]], expected: dict[str, dict[str, Any]]) -> list[str]:
    """What differs, one line each: missing or extra rows, then values (the oracle's columns)."""
    out = [f"row {event_id}: in the oracle, not built" for event_id in sorted(set(expected) - set(actual))]
    out += [f"row {event_id}: built, not in the oracle" for event_id in sorted(set(actual) - set(expected))]
    for event_id in sorted(set(expected) & set(actual)):
        for column, value in expected[event_id].items():
            if column not in actual[event_id]:
                out.append(f"row {event_id}: column {column} not built")
            elif not bruteforce.values_equal(actual[event_id][column], value):
                out.append(f"row {event_id}, {column}: built {actual[event_id][column]!r}, oracle {value!r}")
    return out


def run_trial(trial: Trial, work: Path) -> list[str]:
    """Build the trial in ``work`` and compare; the differences (or the build's error) as lines."""
    events = nasty_events.catalog_rows(n_events=trial.n_events, seed=trial.seed)
    events_file = work / "events.parquet"
    pq.write_table(nasty_events.to_catalog_table(events), events_file)
    dbt_vars = trial.dbt_vars(events_file)
    (work / "vars.json").write_text(json.dumps(dbt_vars, indent=2))
    result = run_dbt(["build", "--exclude-resource-type", "unit_test"], work / "db.duckdb", work, dbt_vars=dbt_vars)
    if result.returncode != 0:
        tail = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()][-12:]
        return [f"dbt build failed (exit {result.returncode}):", *tail]
    actual, definitions = read_build(work / "db.duckdb")
    attributes = catalogs.definitions(trial.catalog, definitions)
    return differences(actual, oracle(trial, events, attributes))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Compare the built final_training with the brute-force oracle on random nasty events and "
                    "random valid vars, trial after trial. Exit 0: all equal; 1: a trial differed or failed to build.")
    parser.add_argument("--trials", type=int, default=6,
                        help="number of trials (each one dbt build of a few seconds; default 6)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of the trials' draws (default: from the clock; printed, so a run can be repeated)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[600, 4000],
                        help="generated events per trial, one drawn per trial (default 600 4000; the handmade "
                             "edge cases are added to each)")
    parser.add_argument("--catalogs", nargs="+", choices=CATALOG_CHOICES, default=list(CATALOG_CHOICES),
                        help="catalogs drawn from: the presets and every_aggregation (tests/python/catalogs.py); "
                             "default all")
    parser.add_argument("--work-dir", type=Path, default=None,
                        help="where each trial's events, vars, dbt target and DuckDB file go (default: a temporary "
                             "folder, removed at the end unless a trial differed)")
    parser.add_argument("--max-lines", type=int, default=10,
                        help="differences printed per failing trial (default 10)")
    args = parser.parse_args(argv)
    if args.trials < 1 or any(size < 1 for size in args.sizes) or args.max_lines < 1:
        parser.error("--trials, --sizes and --max-lines take positive whole numbers")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("generate_events").setLevel(logging.WARNING)  # one line per trial is enough
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    root = args.work_dir or Path(tempfile.mkdtemp(prefix="fuzz_oracle_"))
    LOG.info("fuzz_oracle: seed %d, %d trials, work dir %s", seed, args.trials, root)
    failed = 0
    for number in range(1, args.trials + 1):
        trial = draw_trial(rng, args.sizes, args.catalogs)
        work = root / f"trial_{number:03d}"
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        started = time.monotonic()
        lines = run_trial(trial, work)
        described = (f"trial {number}: {trial.catalog}, {trial.n_events} events (seed {trial.seed}), "
                     f"apps {trial.app_ids}, rows {trial.event_names}, conversion {trial.conversion_event}, "
                     f"horizon {trial.horizon_seconds} s, range [{trial.start_date}, {trial.end_date})")
        if lines:
            failed += 1
            LOG.info("%s: DIFFERS (%d lines; events and vars in %s)", described, len(lines), work)
            for line in lines[:args.max_lines]:
                LOG.info("    %s", line)
        else:
            LOG.info("%s: equal (%.1f s)", described, time.monotonic() - started)
            shutil.rmtree(work)
    LOG.info("fuzz_oracle: %d of %d trials differed (seed %d)", failed, args.trials, seed)
    if not failed and args.work_dir is None:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
