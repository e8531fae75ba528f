"""Run a plan of Spark steps (table loads, dbt invocations, dumps, fit.py) in ONE process and JVM.

    PYTHONPATH=train .venv-spark/bin/python scripts/emulators/spark_steps.py plan.json

Every ``dbt`` CLI call starts a JVM of its own (10-30 s before any SQL runs). Here
dbt is invoked through its programmatic API (``dbtRunner``) in this process: dbt-spark's
``method: session`` connection calls ``SparkSession.builder.getOrCreate()``, so every
invocation reuses the one SparkSession (and Derby metastore) that the first step
started. The plan is a JSON object::

    {"report": "report.json",
     "steps": [
       {"name": "load", "load": [["schema", "table", "file.parquet"], ...]},
       {"name": "build", "env": {"SPARK_SCHEMA": "s"}, "dbt": ["build", "--target", "spark", ...]},
       {"name": "read back", "dump": [["schema", "table", "out.parquet"], ...]},
       {"name": "fit", "fit": ["--target", "spark", "--output-dir", "out"]}]}

``env`` is set for that step only (profiles.yml reads SPARK_SCHEMA etc. at each
invocation). Steps run in order and stop at the first failure; ``fit`` stops the
SparkSession when it ends, so it comes last. Each step's output is framed by a line
``=== step <name>`` and its result and time written to the report (also printed).
Used by tests/python/test_warehouse_spark.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import spark_tables  # beside this script (its folder comes first on the import path)

from prospect_model.errors import TrainingError
from prospect_model.profiles import resolve_target
from prospect_model.spark_reader import SparkReader

log = logging.getLogger("spark_steps")


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _dbt(args: list[str]) -> tuple[bool, str]:
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(args)
    detail = "" if result.exception is None else f"{type(result.exception).__name__}: {result.exception}"
    return bool(result.success), detail


def _fit(args: list[str]) -> tuple[bool, str]:
    from prospect_model.cli import main as fit_main

    status = fit_main(args)
    return status == 0, f"exit {status}"


def _run_step(step: Mapping[str, Any], reader: SparkReader) -> tuple[bool, str]:
    if "load" in step:
        spark_tables.load_tables(reader.session, [(s, t, Path(p)) for s, t, p in step["load"]])
        return True, ""
    if "dump" in step:
        spark_tables.dump_tables(reader, [(s, t, Path(p)) for s, t, p in step["dump"]])
        return True, ""
    if "dbt" in step:
        return _dbt(list(step["dbt"]))
    if "fit" in step:
        return _fit(list(step["fit"]))
    return False, f"unknown step kind: {sorted(step)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path, help="the JSON plan (see the module docstring)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        plan = json.loads(args.plan.read_text())
        steps, report_path = plan["steps"], Path(plan["report"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"error: cannot read the plan {args.plan}: {exc}", file=sys.stderr)
        return 2
    report: list[dict[str, Any]] = []
    total = time.monotonic()
    start = time.monotonic()
    try:
        reader = SparkReader(resolve_target(target="spark"))
    except TrainingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report.append({"name": "start Spark", "ok": True, "seconds": time.monotonic() - start, "detail": ""})
    for step in steps:
        print(f"=== step {step['name']}", flush=True)
        start = time.monotonic()
        with _environment(step.get("env", {})):
            try:
                ok, detail = _run_step(step, reader)
            except Exception as exc:  # reported, not raised: the report says which step failed
                ok, detail = False, "".join(traceback.format_exception_only(type(exc), exc)).strip()
                traceback.print_exc(file=sys.stdout)
        sys.stdout.flush()
        report.append({"name": step["name"], "ok": ok, "seconds": time.monotonic() - start, "detail": detail})
        if not ok:
            break
    print("=== end", flush=True)
    report.append({"name": "total", "ok": all(r["ok"] for r in report), "seconds": time.monotonic() - total,
                   "detail": ""})
    tmp = report_path.with_name(report_path.name + ".tmp")
    tmp.write_text(json.dumps(report, indent=1))
    tmp.replace(report_path)
    log.info("Spark steps: %s", ", ".join(f"{r['name']} {r['seconds']:.1f} s" for r in report))
    return 0 if report[-1]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
