"""Quality table: presets x models, visitor-grouped CV ROC AUC and PR AUC (mean +- std over folds).

For each preset (``snowplow__attributes``) the shipped sample is built with ``dbt build`` into its own
DuckDB file (``DBT_DUCKDB_PATH``), then the training step runs for each model (its default CV:
visitor-grouped folds on the training side, the tutorial's three-counter logistic regression fitted
on the same folds). The table and the verdict are printed: the default model (``logreg``) with
``web_full`` must beat the tutorial's baseline by more than the folds' spread (the std over folds of
the per-fold difference, and of the model's own scores) in both ROC AUC and PR AUC.

    python scripts/quality_table.py [--presets tutorial web_minimal web_full] [--models logreg hgb]
                                    [--work-dir DIR] [--cv-folds 5]

Exit 0 when the verdict holds, 1 when it does not, 2 on bad input (a failed dbt build).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from prospect_model.cli import main as train_main

PROJECT_DIR = Path(__file__).resolve().parents[1]
PRESETS = ("tutorial", "web_minimal", "web_full")
MODELS = ("logreg", "hgb")
METRICS = ("roc_auc", "pr_auc")
log = logging.getLogger("quality_table")


def build(preset: str, work: Path) -> Path:
    """``dbt build`` of the shipped sample with this preset into ``work/<preset>.duckdb``."""
    db = work / f"{preset}.duckdb"
    command = [
        sys.executable, "-m", "dbt.cli.main", "build", "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(PROJECT_DIR), "--target-path", str(work / f"target-{preset}"),
        "--log-path", str(work / f"logs-{preset}"), "--vars", json.dumps({"snowplow__attributes": preset}),
    ]
    env = {**os.environ, "DBT_DUCKDB_PATH": str(db), "DBT_TARGET": "duckdb",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    start = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env, text=True, capture_output=True, check=False)
    if result.returncode != 0:
        tail = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
        raise SystemExit(f"error: dbt build with preset {preset} failed ({result.returncode}): {tail}")
    log.info("dbt build %s: %.1f s", preset, time.perf_counter() - start)
    return db


def cross_validation(db: Path, model: str, out: Path, folds: int) -> dict[str, Any]:
    """Run the training step on ``db``; return the cross-validation part of its metadata."""
    os.environ["DBT_DUCKDB_PATH"] = str(db)
    os.environ["DBT_TARGET"] = "duckdb"
    start = time.perf_counter()
    rc = train_main(["--project-dir", str(PROJECT_DIR), "--output-dir", str(out), "--model", model,
                     "--cv-folds", str(folds)])
    if rc != 0:
        raise SystemExit(f"error: training {model} on {db.name} exited {rc}")
    log.info("train %s on %s: %.1f s", model, db.name, time.perf_counter() - start)
    return dict(json.loads((out / "metadata.json").read_text())["cross_validation"])


def _cell(summary: dict[str, Any], name: str, metric: str) -> str:
    value = summary[name][metric]
    return f"{value['mean']:.3f} ± {value['std']:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presets", nargs="+", default=list(PRESETS), choices=PRESETS)
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--cv-folds", type=int, default=5, metavar="K",
                        help="visitor-grouped cross-validation folds of each fit (train/fit.py --cv-folds; default 5).")
    parser.add_argument("--work-dir", type=Path, default=None, help="keep the databases here (default: a temp dir)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    log.setLevel(logging.INFO)
    with tempfile.TemporaryDirectory(prefix="quality_") as tmp:
        work = args.work_dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results: dict[tuple[str, str], dict[str, Any]] = {}
        for preset in args.presets:
            db = build(preset, work)
            for model in args.models:
                results[(preset, model)] = cross_validation(db, model, work / f"run-{preset}-{model}", args.cv_folds)
    print(f"| preset | model | ROC AUC (CV, {args.cv_folds} visitor folds) | PR AUC | "
          "tutorial 3-counter LR ROC AUC | its PR AUC |")
    print("|---|---|---|---|---|---|")
    for (preset, model), cv in results.items():
        s = cv["metrics"]
        tutorial = ("tutorial" in s)
        print(f"| {preset} | {model} | {_cell(s, 'model', 'roc_auc')} | {_cell(s, 'model', 'pr_auc')} | "
              f"{_cell(s, 'tutorial', 'roc_auc') if tutorial else 'n/a'} | "
              f"{_cell(s, 'tutorial', 'pr_auc') if tutorial else 'n/a'} |")
    key = ("web_full", "logreg")
    if key not in results or "tutorial" not in results[key]["metrics"]:
        print("verdict: not computed (needs preset web_full and model logreg)")
        return 0
    cv = results[key]
    ok = True
    parts = []
    for metric in METRICS:
        diff = cv["differences"]["tutorial"][metric]
        spread = max(float(diff["std"]), float(cv["metrics"]["model"][metric]["std"]))
        beats = float(diff["mean"]) > spread
        ok = ok and beats
        parts.append(f"{metric} {diff['mean']:+.3f} (spread {spread:.3f}): {'beats' if beats else 'does NOT beat'}")
    print("verdict: logreg on web_full vs the tutorial's three-counter LR, same folds: " + "; ".join(parts))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
