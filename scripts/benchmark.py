#!/usr/bin/env python3
"""Benchmark of what `dbt build` costs, against two references.

For each size (default 1M and 10M generated events) it prints, as plain lines:
  * the models of final_training, per attribute preset (--presets, default
    tutorial and web_minimal): `dbt run --select +final_training` on a fresh
    DuckDB file reading the events Parquet in place (seconds of model execution
    from run_results.json, whole dbt wall time, peak memory, rows);
  * the whole build users run: `dbt build --exclude-resource-type unit_test` (every
    model and data test) on a fresh DuckDB file, twice: a first build (dbt parses the
    whole project, as on a fresh clone) and a re-build in the same target folder (dbt's
    partial parsing reuses that parse, as in every later build): the re-build's
    execution span from the first node's start to the last node's end (dbt's
    run_results.json, without dbt's start-up and parse), the whole dbt wall time of
    both, peak memory, and the costliest nodes;
  * dbt at no data: the same re-build on 20,000 generated events (Parquet, like the
    sizes), what dbt costs whatever the size (start-up, saved parse, hooks, every node's
    own cost), and (from 100 times that) the re-build's wall beyond it, as a ratio to the
    floor: what grows with the data;
  * dbt itself: a re-build of a dbt project of two models (a view over the same
    20,000 events and a table grouping them by visitor, no hooks, no tests) on the
    same adapter: what any dbt project pays on this machine (importing dbt, the saved
    parse, the adapter, the exit), so that dbt at no data splits into dbt's own cost
    and this project's (its start-of-run check, its 15 nodes);
  * the floor: a DuckDB sort of the five needed columns by visitor and time
    (same machine, same file, fresh process), which any correct job must pay;
  * (1M only by default) the tutorial's self-join formulation, run in DuckDB.
Floor, models and build run --repeats times, interleaved (floor, models, build,
floor, ...), so that a noisy neighbour slows all alike; each run is printed, then
the medians. Ratios: the median of the paired ratios (x / floor of the same run),
beside median x / median floor; and self-join / median models.
Targets (2-core machine): at 1M the models are at least 8x faster than the
self-join; at 10M the models take at most 1.3x the floor with the tutorial
preset and at most 2.5x with web_minimal (peak memory under 8 GB), the whole
build at most 2.0x. Numbers are measured, never asserted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
LOG = logging.getLogger("benchmark")
#: Events of the "dbt at no data" re-build: next to nothing beside the sizes measured, in the same
#: generated Parquet form (the shipped CSV sample would add DuckDB's CSV sniffing to every view).
NO_DATA_EVENTS = 20_000
#: The whole build as measured: models and data tests (unit tests are not what users pay at scale).
BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test")

SELF_JOIN_SQL = """
create table tutorial_final_training as
with events as (
    select * from read_parquet('{path}')
    where app_id = 'website' and domain_userid is not null and derived_tstamp is not null
      and event_name in ('page_view', 'submit_form')
),
post_conv as (
    select domain_userid, min(derived_tstamp) as first_conv
    from events where event_name = 'submit_form' group by 1
),
targets_as_of_event as (
    select er.event_id,
        count_if(ef.event_name = 'submit_form') > 0 as target_had_submit_form_next1h
    from events er
    left join events ef on er.domain_userid = ef.domain_userid
        and er.derived_tstamp < ef.derived_tstamp
        and datediff('second', er.derived_tstamp, ef.derived_tstamp) <= 60 * 60
    group by er.event_id
),
final_training as (
    select er.domain_userid, er.derived_tstamp, er.event_name,
        coalesce(count_if(eh.event_name = 'page_view'), 0) as num_page_views,
        coalesce(count_if(eh.event_name = 'page_view' and eh.page_url like '%pricing%'), 0) as num_pricing_views,
        coalesce(count_if(eh.event_name = 'page_view' and eh.page_url like '%customers%'), 0) as num_customers_views,
        coalesce(t.target_had_submit_form_next1h, false) as target_had_submit_form_next1h
    from events er
    left join events eh on er.domain_userid = eh.domain_userid and eh.derived_tstamp < er.derived_tstamp
    left join targets_as_of_event t on er.event_id = t.event_id
    left join post_conv p on er.domain_userid = p.domain_userid and er.derived_tstamp >= p.first_conv
    group by all
    having not p.domain_userid is not null
)
select * from final_training
"""

FLOOR_SQL = """
create table sorted_events as
select event_id, domain_userid, derived_tstamp, event_name, page_url
from read_parquet('{path}')
order by domain_userid, derived_tstamp
"""

DUCKDB_CHILD = """
import duckdb, sys, time
con = duckdb.connect(sys.argv[1])
con.execute("set preserve_insertion_order = false")
con.execute("set enable_progress_bar = false")
start = time.perf_counter()
con.execute(sys.argv[2])
print(time.perf_counter() - start)
print(con.execute("select count(*) from " + sys.argv[3]).fetchall()[0][0])
"""


def run_measured(command: Sequence[str], env: dict[str, str] | None = None,
                 timeout: float | None = None) -> tuple[int, float, float, str]:
    """Run a command; return (exit code, wall seconds, peak RSS in MB of the child, stdout)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=PROJECT_DIR)
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                status = -1
                break
            time.sleep(0.05)
        wall = time.perf_counter() - start
        out.seek(0)
        text = out.read()
    code = os.waitstatus_to_exitcode(status) if status != -1 else -1
    return code, wall, usage.ru_maxrss / 1024.0, text


def ensure_events(n_events: int, data_dir: Path) -> Path:
    """Generate (once) n_events synthetic events as Parquet; return the path."""
    path = data_dir / f"events_{n_events}.parquet"
    if not path.exists():
        LOG.info("generating %s events -> %s", f"{n_events:,}", path)
        code, wall, rss, text = run_measured([sys.executable, str(PROJECT_DIR / "scripts" / "generate_events.py"),
                                              "--events", str(n_events), "--output", str(path)])
        if code != 0:
            raise SystemExit(f"error: generating {n_events} events failed:\n{text[-2000:]}")
        LOG.info("generated in %.1f s (peak %.0f MB)", wall, rss)
    return path


def run_duckdb(sql: str, table: str, work: Path, timeout: float) -> tuple[float | None, float, int | None, str]:
    """Run one statement in a fresh DuckDB file in a child process: (seconds, peak MB, rows, failure).

    On failure seconds and rows are None and `failure` says why (timeout or the error's last line).
    """
    db = work / f"{table}.duckdb"
    db.unlink(missing_ok=True)
    code, _, rss, text = run_measured([sys.executable, "-c", DUCKDB_CHILD, str(db), sql, table], timeout=timeout)
    db.unlink(missing_ok=True)
    if code != 0:
        lines = [line for line in text.strip().splitlines() if line.strip()]
        failure = f"did not finish within {timeout:.0f} s" if code == -1 else \
            f"failed (exit {code}): {lines[-1] if lines else 'no output'}"
        LOG.warning("%s %s", table, failure)
        return None, rss, None, failure
    seconds, rows = text.strip().splitlines()[-2:]
    return float(seconds), rss, int(rows), ""


def _dbt(args: Sequence[str], work: Path, dbt_vars: dict[str, str] | None = None,
         project_dir: Path = PROJECT_DIR) -> tuple[dict, float, float, Path]:
    """Run dbt on a fresh DuckDB file in ``work``: (run_results, wall seconds, peak MB, db path).

    The profile reads the file's path from DBT_DUCKDB_PATH (this project's and the dbt-itself one).
    """
    work.mkdir(parents=True, exist_ok=True)
    db = work / "models.duckdb"
    env = {**os.environ, "DBT_DUCKDB_PATH": str(db), "DBT_TARGET": "duckdb",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [str(Path(sys.executable).with_name("dbt")), *args,
               "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
               "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    code, wall, rss, text = run_measured(command, env=env)
    if code != 0:
        raise SystemExit(f"error: dbt {args[0]} in {project_dir} failed:\n{text[-3000:]}")
    return json.loads((work / "target" / "run_results.json").read_text()), wall, rss, db


def _project_vars(events: Path, preset: str) -> dict[str, str]:
    """This project's vars for a benchmark run: the events file and the attribute preset."""
    return {"snowplow__events_file": str(events), "snowplow__attributes": preset}


def run_models(events: Path, work: Path, preset: str) -> tuple[float, float, float, int]:
    """dbt run of final_training and its parents: (model seconds, dbt wall seconds, peak MB, rows)."""
    results, wall, rss, db = _dbt(["run", "--select", "+final_training"], work, _project_vars(events, preset))
    model_seconds = sum(r["execution_time"] for r in results["results"])
    import duckdb  # only needed here
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("select count(*) from final_training").fetchall()[0][0]
    db.unlink(missing_ok=True)
    return model_seconds, wall, rss, rows


def _span_seconds(results: dict) -> float:
    """From the first node's start to the last node's end (dbt's own timings)."""
    starts, ends = [], []
    for result in results["results"]:
        for step in result.get("timing", []):
            if step.get("started_at") and step.get("completed_at"):
                starts.append(datetime.fromisoformat(step["started_at"].replace("Z", "+00:00")))
                ends.append(datetime.fromisoformat(step["completed_at"].replace("Z", "+00:00")))
    return (max(ends) - min(starts)).total_seconds()


def run_build(events: Path, work: Path, preset: str) -> tuple[float, float, float, float, list[tuple[float, str]]]:
    """The whole `dbt build` without unit tests, twice on a fresh DuckDB file each time.

    First as on a fresh clone (dbt parses the whole project), then again in the same
    target folder, as every later build of a user runs (dbt's partial parsing reuses the
    first parse: same project, vars and profile). Returns (execution span of the re-build,
    dbt wall of the first build, dbt wall of the re-build, peak MB, costliest nodes of the
    re-build).
    """
    _, first_wall, first_rss, db = _dbt(BUILD_ARGS, work, _project_vars(events, preset))
    db.unlink(missing_ok=True)
    results, wall, rss, db = _dbt(BUILD_ARGS, work, _project_vars(events, preset))
    db.unlink(missing_ok=True)
    nodes = sorted(((r["execution_time"], r["unique_id"].split(".")[-1] if r["unique_id"].startswith("model.")
                     else r["unique_id"].split(".")[2]) for r in results["results"]), reverse=True)
    return _span_seconds(results), first_wall, wall, max(first_rss, rss), nodes[:6]


def run_no_data_build(events: Path, work: Path, preset: str) -> float:
    """dbt wall seconds of a re-build of ``events`` (``NO_DATA_EVENTS``) in ``work``'s warm target folder.

    What dbt costs whatever the data's size: start-up, the saved parse, the hooks, and each of the
    build's nodes (compilation, statements, dbt's bookkeeping) on next to no data. The caller
    builds once in ``work`` first, so that this build, like the re-build at size, reuses the parse.
    """
    _, wall, _, db = _dbt(BUILD_ARGS, work, _project_vars(events, preset))
    db.unlink(missing_ok=True)
    return wall


#: The "dbt itself" project: as small as a dbt project that builds something gets.
DBT_ITSELF_FILES = {
    "dbt_project.yml": "name: dbt_itself\nversion: '1.0'\nprofile: dbt_itself\n",
    "profiles.yml": ("dbt_itself:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
                     "      path: \"{{{{ env_var('DBT_DUCKDB_PATH') }}}}\"\n      threads: 2\n"),
    "models/events.sql": "select * from read_parquet('{events}')\n",
    "models/events_per_visitor.sql": ("{{{{ config(materialized='table') }}}}\n"
                                      "select domain_userid, count(*) as events\n"
                                      "from {{{{ ref('events') }}}}\ngroup by domain_userid\n"),
}


def run_dbt_itself_build(events: Path, work: Path) -> float:
    """dbt wall seconds of a build of the two-model project ``DBT_ITSELF_FILES`` over ``events`` in ``work``.

    The project is written into ``work`` by the first call; as for ``run_no_data_build``, the
    caller builds once first, so that the measured builds reuse the parse.
    """
    project = work / "project"
    for name, text in DBT_ITSELF_FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text.format(events=str(events).replace("'", "''")))
    _, wall, _, db = _dbt(["build"], work, project_dir=project)
    db.unlink(missing_ok=True)
    return wall


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000],
                        help="numbers of generated events to benchmark (default: 1000000 10000000)")
    parser.add_argument("--self-join-max", type=int, default=1_000_000,
                        help="run the tutorial's self-join only up to this many events (default: 1000000)")
    parser.add_argument("--self-join-timeout", type=float, default=900.0,
                        help="give up on the self-join after this many seconds (default: 900)")
    parser.add_argument("--data-dir", type=Path, default=PROJECT_DIR / "bench_data",
                        help="where generated Parquet files are cached (default: bench_data/)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of the floor and of the models per size, interleaved; medians are "
                             "reported (default: 3)")
    parser.add_argument("--presets", nargs="+", default=["tutorial", "web_minimal"],
                        help="attribute presets (snowplow__attributes) whose models are measured; the whole build "
                             "runs with the first (default: tutorial web_minimal)")
    parser.add_argument("--skip-build", action="store_true", help="do not measure the whole dbt build")
    parser.add_argument("--verbose", action="store_true", help="log debug details")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(message)s")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores")
    for n_events in args.sizes:
        events = ensure_events(n_events, args.data_dir)
        with tempfile.TemporaryDirectory(dir=args.data_dir) as tmp:
            work = Path(tmp)
            floors: list[tuple[float, float]] = []
            models: dict[str, list[tuple[float, float, float]]] = {preset: [] for preset in args.presets}
            rows: dict[str, int] = {}
            builds: list[tuple[float, float, float, float]] = []
            no_data: list[float] = []
            itself: list[float] = []
            if not args.skip_build:
                no_data_events = ensure_events(NO_DATA_EVENTS, args.data_dir)
                run_no_data_build(no_data_events, work / "no_data", args.presets[0])  # parse once, as at size
                run_dbt_itself_build(no_data_events, work / "dbt_itself")  # the same
            print(f"events={n_events}")
            for run in range(1, args.repeats + 1):
                floor_s, floor_mb, _, failure = run_duckdb(FLOOR_SQL.format(path=events), "sorted_events", work,
                                                  timeout=3600)
                if floor_s is None:
                    raise SystemExit(f"error: the floor sort {failure}")
                floors.append((floor_s, floor_mb))
                line = f"  run {run}: floor {floor_s:.2f} s (peak {floor_mb:.0f} MB)"
                for preset in args.presets:
                    model_s, dbt_wall, model_mb, rows[preset] = run_models(events, work / f"models_{preset}_{run}",
                                                                           preset)
                    models[preset].append((model_s, dbt_wall, model_mb))
                    line += (f"; models[{preset}] {model_s:.2f} s (dbt wall {dbt_wall:.2f} s, peak {model_mb:.0f} MB), "
                             f"ratio {model_s / floor_s:.2f}x")
                if not args.skip_build:
                    build_s, first_wall, build_wall, build_mb, costliest = run_build(events, work / f"build_{run}",
                                                                                     args.presets[0])
                    builds.append((build_s, build_wall, build_mb, first_wall))
                    no_data.append(run_no_data_build(no_data_events, work / "no_data", args.presets[0]))
                    itself.append(run_dbt_itself_build(no_data_events, work / "dbt_itself"))
                    line += (f"; whole build[{args.presets[0]}] {build_s:.2f} s (dbt wall {build_wall:.2f} s, first "
                             f"build {first_wall:.2f} s, peak {build_mb:.0f} MB), ratio {build_s / floor_s:.2f}x; "
                             f"re-build at no data {no_data[-1]:.2f} s; dbt itself {itself[-1]:.2f} s")
                print(line)
                if not args.skip_build:
                    print("    costliest nodes of the build: " + ", ".join(f"{name} {sec:.2f} s"
                                                                           for sec, name in costliest))
            floor_s = statistics.median(f[0] for f in floors)
            floor_mb = max(f[1] for f in floors)
            print(f"  floor (sort of 5 columns by visitor, time): {floor_s:.2f} s, median of {args.repeats}, "
                  f"peak {floor_mb:.0f} MB")
            for preset in args.presets:
                runs = models[preset]
                preset_s = statistics.median(m[0] for m in runs)
                paired = [m[0] / f[0] for m, f in zip(runs, floors, strict=True)]
                print(f"  models[{preset}]: final_training_rows={rows[preset]}, {preset_s:.2f} s model execution, "
                      f"median of {args.repeats} ({statistics.median(m[1] for m in runs):.2f} s dbt wall incl. "
                      f"start-up), peak {max(m[2] for m in runs):.0f} MB (highest run)")
                print(f"  ratio models[{preset}]/floor: {statistics.median(paired):.2f}x median of the "
                      f"{args.repeats} paired runs (from {min(paired):.2f}x to {max(paired):.2f}x); "
                      f"{preset_s / floor_s:.2f}x median models / median floor")
            model_s = statistics.median(m[0] for m in models[args.presets[0]])
            if builds:
                build_s = statistics.median(b[0] for b in builds)
                build_wall = statistics.median(b[1] for b in builds)
                first_wall = statistics.median(b[3] for b in builds)
                build_mb = max(b[2] for b in builds)
                paired_build = [b[0] / f[0] for b, f in zip(builds, floors, strict=True)]
                paired_wall = [b[1] / f[0] for b, f in zip(builds, floors, strict=True)]
                paired_first = [b[3] / f[0] for b, f in zip(builds, floors, strict=True)]
                print(f"  whole build[{args.presets[0]}] (models + data tests): {build_s:.2f} s execution, median "
                      f"of {args.repeats}; dbt wall incl. start-up and parse {build_wall:.2f} s (a re-build, dbt's "
                      f"partial parsing warm), {first_wall:.2f} s (a first build, full parse); peak {build_mb:.0f} MB")
                print(f"  ratio whole build/floor: {statistics.median(paired_build):.2f}x median of the paired "
                      f"runs (from {min(paired_build):.2f}x to {max(paired_build):.2f}x); {build_s / floor_s:.2f}x "
                      f"median / median")
                print(f"  ratio whole build dbt wall/floor: re-build {statistics.median(paired_wall):.2f}x paired "
                      f"median (from {min(paired_wall):.2f}x to {max(paired_wall):.2f}x); first build (full parse) "
                      f"{statistics.median(paired_first):.2f}x paired median")
                no_data_wall = statistics.median(no_data)
                no_data_ratio = statistics.median(wall / f[0] for wall, f in zip(no_data, floors, strict=True))
                line = (f"  dbt at no data (the same re-build of {NO_DATA_EVENTS:,} generated events): "
                        f"{no_data_wall:.2f} s median, {no_data_ratio:.2f}x of the floor; ")
                if n_events >= 100 * NO_DATA_EVENTS:
                    paired_data = [(b[1] - wall) / f[0] for b, wall, f in zip(builds, no_data, floors, strict=True)]
                    line += (f"the re-build's wall beyond it (what grows with the data): "
                             f"{statistics.median(paired_data):.2f}x paired median (from {min(paired_data):.2f}x "
                             f"to {max(paired_data):.2f}x)")
                else:
                    line += (f"the re-build's wall beyond it is not printed below {100 * NO_DATA_EVENTS:,} events "
                             "(beside fewer, those are not 'no data')")
                print(line)
                itself_wall = statistics.median(itself)
                itself_ratio = statistics.median(wall / f[0] for wall, f in zip(itself, floors, strict=True))
                own = [(wall - mine, (wall - mine) / f[0])
                       for wall, mine, f in zip(no_data, itself, floors, strict=True)]
                beyond_itself = [(b[1] - mine) / f[0] for b, mine, f in zip(builds, itself, floors, strict=True)]
                print(f"  dbt itself (a re-build of a two-model project on the same {NO_DATA_EVENTS:,} events): "
                      f"{itself_wall:.2f} s median, {itself_ratio:.2f}x of the floor; this project's fixed cost "
                      f"beyond it (dbt at no data minus dbt itself): {statistics.median(o[0] for o in own):.2f} s, "
                      f"{statistics.median(o[1] for o in own):.2f}x paired median; the re-build's wall beyond dbt "
                      f"itself: {statistics.median(beyond_itself):.2f}x paired median (from {min(beyond_itself):.2f}x "
                      f"to {max(beyond_itself):.2f}x)")
            if n_events <= args.self_join_max:
                join_s, join_mb, join_rows, failure = run_duckdb(
                    SELF_JOIN_SQL.format(path=events), "tutorial_final_training", work,
                    timeout=args.self_join_timeout)
                if join_s is None:
                    bound = f"; ratio self-join/models: > {args.self_join_timeout / model_s:.1f}x" \
                        if failure.startswith("did not finish") else ""
                    print(f"  self-join (tutorial): {failure}, peak {join_mb:.0f} MB{bound}")
                else:
                    print(f"  self-join (tutorial): {join_s:.2f} s, peak {join_mb:.0f} MB, rows {join_rows}; "
                          f"ratio self-join/models: {join_s / model_s:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
