"""Benchmark the training step at scale: read + split + fit + evaluate (+ plots, outputs).

Generates (or reads with ``--database``) a ``final_training`` table following
the dbt contract - by default 10M rows, ~1M visitors, 3 count features, ~3%
positives - in a DuckDB file in a temporary directory, then times the library
functions phase by phase and prints plain ``key: value`` lines, including the
peak resident memory (``resource.getrusage(...).ru_maxrss``).

The data is generated in a child process so the reported peak memory is that of
the training step alone. Example::

    python train/benchmark_fit.py                 # 10M rows
    python train/benchmark_fit.py --rows 1000000 --visitors 100000
    python train/benchmark_fit.py --database bench_data/x.duckdb --keep
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_SECONDS = 60.0
TARGET_PEAK_MB = 3 * 1024


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux: ru_maxrss is KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024.0 if sys.platform != "darwin" else peak / 2**20


def generate(path: Path, rows: int, visitors: int, seed: int = 7) -> None:
    """Write a contract-conforming final_training + final_training_columns into ``path``."""
    import duckdb
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    mean_events = rows / visitors
    counts = rng.geometric(1.0 / mean_events, size=visitors)
    visitor = np.repeat(np.arange(visitors, dtype=np.int32), counts)[:rows]
    if len(visitor) < rows:
        extra = rng.integers(0, visitors, size=rows - len(visitor), dtype=np.int32)
        visitor = np.sort(np.concatenate([visitor, extra]), kind="stable")
    n = len(visitor)
    first = np.r_[0, np.flatnonzero(np.diff(visitor)) + 1]
    run_lengths = np.diff(np.r_[first, n])
    intent = rng.normal(size=visitors).astype(np.float32)[visitor]

    def per_visitor_cumsum(values: np.ndarray) -> np.ndarray:
        total = np.cumsum(values, dtype=np.int64)
        return total - np.repeat(total[first] - values[first], run_lengths)

    gaps = rng.exponential(900.0, size=n).astype(np.int64) * 1_000_000
    start = rng.integers(0, 30 * 86400, size=visitors, dtype=np.int64)[visitor] * 1_000_000
    micros = start + per_visitor_cumsum(gaps)
    del gaps, start
    page = rng.random(n, dtype=np.float32)
    pricing = (page < 0.06 + 0.08 * (intent > 1.0)).astype(np.int64)
    customers = ((page > 0.95) | ((page > 0.92) & (intent > 0.5))).astype(np.int64)
    del page
    num_page_views = per_visitor_cumsum(np.ones(n, dtype=np.int64))
    num_pricing_views = per_visitor_cumsum(pricing)
    num_customers_views = per_visitor_cumsum(customers)
    del pricing, customers
    logit = (-5.0 + 0.8 * intent + 0.45 * num_pricing_views + 0.25 * num_customers_views
             + 0.01 * num_page_views).astype(np.float32)
    target = rng.random(n, dtype=np.float32) < 1.0 / (1.0 + np.exp(-logit))
    del logit, intent
    base = np.datetime64("2024-01-01T00:00:00", "us").astype(np.int64)
    tstamp = micros + base
    # The observed window ends after day 30: labels of later events (and of those in
    # the last hour) are immature, as when dbt sees data up to a cut-off.
    window_end = base + 30 * 86400 * 1_000_000
    mature = tstamp + 3600 * 1_000_000 <= window_end
    table = pa.table(
        {
            "row_id": pa.array(np.arange(n, dtype=np.int64)),
            "visitor": pa.array(visitor),
            "derived_tstamp": pa.array(tstamp.astype("datetime64[us]")),
            "num_page_views": pa.array(num_page_views),
            "num_pricing_views": pa.array(num_pricing_views),
            "num_customers_views": pa.array(num_customers_views),
            "target_had_submit_form_next1h": pa.array(target),
            "is_label_mature": pa.array(mature),
        }
    )
    del visitor, tstamp, num_page_views, num_pricing_views, num_customers_views, target, mature

    def uuid_sql(expr: str) -> str:
        h = f"md5({expr})"
        return (f"substr({h},1,8)||'-'||substr({h},9,4)||'-'||substr({h},13,4)||'-'||"
                f"substr({h},17,4)||'-'||substr({h},21,12)")

    con = duckdb.connect(str(path))
    try:
        con.execute("set enable_progress_bar = false")
        con.register("generated", table)
        event_id = uuid_sql("'e' || row_id::varchar")
        domain_userid = uuid_sql("'v' || visitor::varchar")
        con.execute(
            f"create table main.final_training as select {event_id} as event_id, "
            f"{domain_userid} as domain_userid, "
            "derived_tstamp, 'page_view' as event_name, num_page_views, num_pricing_views, "
            "num_customers_views, target_had_submit_form_next1h, is_label_mature from generated"
        )
        con.unregister("generated")
        con.execute(
            "create table main.final_training_columns (column_name varchar, column_role varchar, "
            "ordinal integer, description varchar)"
        )
        roles = [("event_id", "identifier"), ("domain_userid", "identifier"),
                 ("derived_tstamp", "identifier"), ("event_name", "identifier"),
                 ("num_page_views", "feature"), ("num_pricing_views", "feature"),
                 ("num_customers_views", "feature"), ("target_had_submit_form_next1h", "target"),
                 ("is_label_mature", "label_maturity")]
        con.executemany(
            "insert into main.final_training_columns values (?, ?, ?, ?)",
            [(name, role, i + 1, name) for i, (name, role) in enumerate(roles)],
        )
    finally:
        con.close()


def benchmark(database: Path, split_kind: str, output_dir: Path) -> None:
    """Time each phase with the library functions and print ``key: value`` lines."""
    from prospect_model.artifacts import write_artifacts
    from prospect_model.modeling import evaluate, fit_model, metrics_table
    from prospect_model.pipeline import TrainingOptions, build_outputs, load_data
    from prospect_model.profiles import TargetConfig
    from prospect_model.splitting import make_split

    target = TargetConfig(
        profile_name="benchmark", target_name="benchmark", type="duckdb",
        settings={"type": "duckdb", "path": str(database), "schema": "main"},
        project_dir=database.parent, profiles_path=database.parent / "profiles.yml",
    )
    options = TrainingOptions(output_dir=output_dir, split=split_kind)
    seconds: dict[str, float] = {}

    start = time.perf_counter()
    data, location = load_data(target, options.table, options.columns_table)
    seconds["read"] = time.perf_counter() - start
    peak_after_read = peak_rss_mb()

    start = time.perf_counter()
    split = make_split(split_kind, data.y, data.groups, options.test_size, options.seed)
    seconds["split"] = time.perf_counter() - start

    y_train = data.y[split.train]
    start = time.perf_counter()
    X_train = data.frame(split.train)
    fit = fit_model(X_train, y_train, options.seed)
    seconds["fit"] = time.perf_counter() - start  # includes gathering the training rows
    del X_train

    start = time.perf_counter()
    evaluation = evaluate(fit.model, data.frame(split.test), data.y[split.test], y_train)
    seconds["evaluate"] = time.perf_counter() - start
    core = seconds["read"] + seconds["split"] + seconds["fit"] + seconds["evaluate"]
    peak_core = peak_rss_mb()

    timings = dict(seconds)
    start = time.perf_counter()
    _, files = build_outputs(data=data, target=target, location=location, options=options,
                             split=split, fit=fit, evaluation=evaluation, timings=timings)
    seconds["plots_and_outputs_in_memory"] = time.perf_counter() - start
    start = time.perf_counter()
    write_artifacts(output_dir, files)
    seconds["write"] = time.perf_counter() - start

    print(f"rows_in_table: {data.rows_in_table}")
    print(f"rows_used: {data.n_rows}")
    print(f"rows_excluded_immature: {data.rows_excluded_immature}")
    print(f"visitors: {data.n_visitors}")
    print(f"positive_rate: {data.y.mean():.4f}")
    print(f"split: {split_kind} train_rows={len(split.train)} test_rows={len(split.test)}")
    print(f"lbfgs_iterations: {fit.n_iter} converged={fit.converged}")
    print(f"cpu_count: {os.cpu_count()}")
    for phase, value in seconds.items():
        print(f"seconds_{phase}: {value:.2f}")
    print(f"seconds_read_split_fit_evaluate: {core:.2f}")
    print(f"seconds_total_with_plots_and_writes: {sum(seconds.values()):.2f}")
    print(f"peak_rss_mb_after_read: {peak_after_read:.0f}")
    print(f"peak_rss_mb_read_split_fit_evaluate: {peak_core:.0f}")
    print(f"peak_rss_mb_total: {peak_rss_mb():.0f}")
    ok = core <= TARGET_SECONDS and peak_rss_mb() < TARGET_PEAK_MB
    print(f"within_target (<= {TARGET_SECONDS:.0f} s, < {TARGET_PEAK_MB} MiB): {'yes' if ok else 'no'}")
    print("metrics:\n" + metrics_table(evaluation))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="Rows to generate (default 10M).")
    parser.add_argument("--visitors", type=int, default=1_000_000, help="Visitors to generate (default 1M).")
    parser.add_argument("--database", type=Path, help="Use this DuckDB file instead of generating one.")
    parser.add_argument("--split", choices=("visitor", "rows"), default="visitor", help="Split to benchmark.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary directory (database, outputs).")
    parser.add_argument("--generate-only", type=Path, metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.generate_only:
        generate(args.generate_only, args.rows, args.visitors)
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="prospect_benchmark_"))
    try:
        database = args.database
        if database is None:
            database = workdir / "benchmark.duckdb"
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, __file__, "--generate-only", str(database),
                 "--rows", str(args.rows), "--visitors", str(args.visitors)],
                check=True,
            )
            print(f"seconds_generate (child process, not counted): {time.perf_counter() - start:.2f}")
            print(f"database_mb: {database.stat().st_size / 2**20:.0f}")
        benchmark(database.resolve(), args.split, workdir / "artifacts")
    finally:
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
