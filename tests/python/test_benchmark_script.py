"""`scripts/benchmark.py` runs end to end and prints every figure the README's Performance table reads.

Speed is never asserted here (the numbers are the benchmark's to print, on a quiet machine); this
only proves that the script a user runs (`make bench`) works on a fresh checkout: it generates
events, measures the floor, the models, the whole build (first build, re-build, and the re-build
of 20,000 events: dbt's cost at no data; a two-model dbt project on them: dbt itself) and the
tutorial's self-join, and prints them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_benchmark_prints_every_figure_on_a_small_size(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "scripts" / "benchmark.py"), "--sizes", "3000", "--repeats", "1",
         "--presets", "tutorial", "--self-join-max", "3000", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    expected = [
        r"^events=3000$",
        r"^  run 1: floor [\d.]+ s .*models\[tutorial\] [\d.]+ s .*whole build\[tutorial\] [\d.]+ s \(dbt wall "
        r"[\d.]+ s, first build [\d.]+ s, .*re-build at no data [\d.]+ s; dbt itself [\d.]+ s$",
        r"^    costliest nodes of the build: \S+ [\d.]+ s",
        r"^  floor \(sort of 5 columns by visitor, time\): [\d.]+ s",
        r"^  ratio models\[tutorial\]/floor: [\d.]+x",
        r"^  ratio whole build dbt wall/floor: re-build [\d.]+x paired median",
        # At this size 20,000 events are not "no data": the difference is not printed (it is from 2M events on).
        r"^  dbt at no data \(the same re-build of 20,000 generated events\): [\d.]+ s median, "
        r"[\d.]+x of the floor; the re-build's wall beyond it is not printed below 2,000,000 events",
        r"^  dbt itself \(a re-build of a two-model project on the same 20,000 events\): [\d.]+ s median, "
        r"[\d.]+x of the floor; this project's fixed cost beyond it \(dbt at no data minus dbt itself\): "
        r"-?[\d.]+ s, -?[\d.]+x paired median; the re-build's wall beyond dbt itself: [\d.]+x paired median",
        r"^  self-join \(tutorial\): [\d.]+ s, .*ratio self-join/models: [\d.]+x$",
    ]
    for pattern in expected:
        assert re.search(pattern, result.stdout, flags=re.MULTILINE), f"missing {pattern!r} in:\n{result.stdout}"
    rows = re.search(r"final_training_rows=(\d+)", result.stdout)
    assert rows is not None and int(rows.group(1)) > 0, result.stdout
    # Its generated events stay in --data-dir; its databases and dbt folders do not.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["events_20000.parquet", "events_3000.parquet"]
