"""A CSV events file that is not UTF-8 text is named at the start of the run
(a glob's other files do not hide it), before any model is built."""

from __future__ import annotations

import gzip
from pathlib import Path

from dbt_harness import run_dbt

HEADER = "event_id,app_id,derived_tstamp,domain_userid,event_name,page_url\n"


def test_a_latin1_file_in_a_glob_is_named(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text(HEADER + "e1,website,2024-03-01 10:00:00,u1,page_view,https://x/\n", encoding="utf-8")
    (data / "b.csv").write_bytes((HEADER + "e2,website,2024-03-01 10:00:01,u1,page_view,https://x/caf\u00e9\n")
                                 .encode("latin-1"))
    result = run_dbt(["run"], tmp_path / "db.duckdb", tmp_path,
                     dbt_vars={"snowplow__events_file": str(data / "*.csv")})
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert f"file '{data / 'b.csv'}' is not UTF-8 text: re-export it as UTF-8" in output
    assert f"file '{data / 'a.csv'}' is not UTF-8" not in output
    assert "OK created" not in result.stdout


def test_a_latin1_gzip_file_in_a_glob_is_named(tmp_path: Path) -> None:
    """The streaming check (gzip files, and CSVs over 256 MiB) names the file too."""
    data = tmp_path / "data"
    data.mkdir()
    with gzip.open(data / "a.csv.gz", "wb") as out:
        out.write((HEADER + "e1,website,2024-03-01 10:00:00,u1,page_view,https://x/\n").encode("utf-8"))
    with gzip.open(data / "b.csv.gz", "wb") as out:
        out.write((HEADER + "e2,website,2024-03-01 10:00:01,u1,page_view,https://x/caf\u00e9\n").encode("latin-1"))
    result = run_dbt(["run"], tmp_path / "db.duckdb", tmp_path,
                     dbt_vars={"snowplow__events_file": str(data / "*.csv.gz")})
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert f"file '{data / 'b.csv.gz'}' is not UTF-8 text: re-export it as UTF-8" in output
    assert f"file '{data / 'a.csv.gz'}' is not UTF-8" not in output
    assert "OK created" not in result.stdout
