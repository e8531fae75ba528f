"""A CSV events file that is not UTF-8 text is named at the start of the run
(a glob's other files do not hide it), before any model is built."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dbt_harness import PROJECT_DIR, run_dbt
from prospect_model import duckdb_plugin

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


def _gzip_rows(path: Path, text: str, encoding: str = "utf-8") -> bytes:
    with gzip.open(path, "wb") as out:
        out.write((HEADER + text).encode(encoding))
    return path.read_bytes()


def test_a_truncated_gzip_file_in_a_glob_is_named_in_one_line(tmp_path: Path) -> None:
    """A gzip stream that ends early (an interrupted download) stops the run at the start, with the
    project's one line naming the file, not DuckDB's reader error half-way (the dbt-duckdb plugin)."""
    data = tmp_path / "data"
    data.mkdir()
    _gzip_rows(data / "a.csv.gz", "e1,website,2024-03-01 10:00:00,u1,page_view,https://x/\n")
    whole = _gzip_rows(data / "b.csv.gz", "".join(
        f"e{i},website,2024-03-01 10:00:{i % 60:02d},u{i % 7},page_view,https://x/{i}\n" for i in range(2, 400)))
    (data / "b.csv.gz").write_bytes(whole[: len(whole) // 2])
    result = run_dbt(["run"], tmp_path / "db.duckdb", tmp_path,
                     dbt_vars={"snowplow__events_file": str(data / "*.csv.gz")})
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert (f"file '{data / 'b.csv.gz'}' is a truncated gzip stream (it ends too early, e.g. an interrupted "
            "download): download or export it again") in output
    assert f"file '{data / 'a.csv.gz'}' is" not in output
    assert "IO Error" not in output
    assert "OK created" not in result.stdout


def test_without_the_plugin_a_latin1_gzip_file_is_still_named(tmp_path: Path) -> None:
    """A profile of the user's own, without the project's dbt-duckdb plugin: the check falls back to
    streaming the gzip file through DuckDB's CSV reader, and still names the file that is not UTF-8."""
    profiles = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    duckdb_target = profiles["prospect_scoring"]["outputs"]["duckdb"]
    assert duckdb_target.pop("plugins") == [{"module": "prospect_model.duckdb_plugin"}]
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "profiles.yml").write_text(yaml.safe_dump(profiles), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    _gzip_rows(data / "a.csv.gz", "e1,website,2024-03-01 10:00:00,u1,page_view,https://x/\n")
    _gzip_rows(data / "b.csv.gz", "e2,website,2024-03-01 10:00:01,u1,page_view,https://x/caf\u00e9\n", "latin-1")
    result = run_dbt(["run"], tmp_path / "db.duckdb", tmp_path, profiles_dir=tmp_path / "profiles",
                     dbt_vars={"snowplow__events_file": str(data / "*.csv.gz")})
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert f"file '{data / 'b.csv.gz'}' is not UTF-8 text: re-export it as UTF-8" in output
    assert "OK created" not in result.stdout


def test_a_parquet_file_damaged_inside_is_named_and_the_last_tables_are_kept(tmp_path: Path) -> None:
    """A Parquet file whose footer is intact but whose data pages are not (a bad compressed page)
    passes the start-of-run check, which reads schemas only; the model that reads it fails with
    DuckDB's error, and the on-run-end hook names the file and what to do. The tables of the
    build before stay as they were (dbt replaces a table only once its new version is complete)."""
    import duckdb  # noqa: PLC0415 (only here)

    events = tmp_path / "events.parquet"
    with duckdb.connect() as con:
        con.execute(f"copy (select * from read_csv('{PROJECT_DIR / 'seeds' / 'snowplow_sample_events.csv'}')) "
                    f"to '{events}' (format parquet, compression snappy, row_group_size 2000)")
    db, dbt_vars = tmp_path / "db.duckdb", {"snowplow__events_file": str(events)}
    good = run_dbt(["run"], db, tmp_path, dbt_vars=dbt_vars)
    assert good.returncode == 0, good.stdout[-2000:]
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute("select count(*), sum(num_page_views) from final_training").fetchall()
    data = bytearray(events.read_bytes())
    for offset in range(len(data) // 10, len(data) * 8 // 10, 97):  # the footer, at the end, stays whole
        data[offset] ^= 0xFF
    events.write_bytes(bytes(data))

    result = run_dbt(["run"], db, tmp_path, dbt_vars=dbt_vars)
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert (f"file '{events}' could not be read (") in output
    assert ("failed: the file is damaged (e.g. an interrupted copy or export). Export or download it again, or "
            "leave it out of snowplow__events_file; the tables of an earlier build are kept.") in output
    assert "Traceback" not in output
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*), sum(num_page_views) from final_training").fetchall() == before
        assert con.execute("select count(*) from training_dataset_audit").fetchall() == [(9,)]


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("none", None),
        ("two members", None),
        ("zero padding", None),
        ("truncated", "is a truncated gzip stream (it ends too early, e.g. an interrupted download)"),
        ("flipped byte", "is not a valid gzip stream (Error -3 while decompressing data: incorrect data check)"),
        ("latin-1", "is not UTF-8 text"),
        ("not gzip", "is not a valid gzip stream (Error -3 while decompressing data: incorrect header check)"),
        ("empty", "is empty"),
    ],
)
def test_gzip_problem_streams_the_file_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str, expected: str | None
) -> None:
    """The plugin's check, piece by piece (a tiny read size, so a multi-byte character, a member boundary
    and the trailer all fall across pieces)."""
    monkeypatch.setattr(duckdb_plugin, "_CHUNK", 7)
    text = HEADER + "".join(f"e{i},website,2024-03-01 10:00:00,u{i},page_view,https://x/caf\u00e9\n" for i in range(50))
    body = gzip.compress(text.encode("latin-1" if damage == "latin-1" else "utf-8"))
    if damage == "two members":
        body += gzip.compress("e99,website,2024-03-01 10:00:00,u1,page_view,https://x/\u00e9\n".encode("utf-8"))
    elif damage == "zero padding":
        body += b"\x00" * 16
    elif damage == "truncated":
        body = body[:-5]
    elif damage == "flipped byte":
        changed = bytearray(body)
        changed[len(body) // 2] ^= 0x01
        body = bytes(changed)
    elif damage == "not gzip":
        body = text.encode("utf-8")
    elif damage == "empty":
        body = b""
    path = tmp_path / "events.csv.gz"
    path.write_bytes(body)
    assert duckdb_plugin.gzip_problem(str(path)) == expected
    assert duckdb_plugin.gzip_problem(None) is None
    assert duckdb_plugin.gzip_problem(str(tmp_path / "missing.csv.gz")) == "cannot be read (No such file or directory)"


# --- the plugin's check of a database file another process holds ---------------------------------


def test_the_lock_check_leaves_this_processs_own_lock_in_place(tmp_path: Path) -> None:
    """The check reads the kernel's lock table and never opens the file: closing a descriptor
    would drop the POSIX lock DuckDB holds in this process (dbt run in a notebook that has the
    database open), and a second writer could then open it."""
    import duckdb  # noqa: PLC0415 - the test's own connection

    path = tmp_path / "held.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select 1 as x")
        assert duckdb_plugin.lock_holder(str(path)) is None  # our own lock is no conflict
        other = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(path)!r})"],
                               capture_output=True, text=True, timeout=60)
        assert other.returncode != 0 and "lock" in other.stderr.lower(), other.stderr[-500:]
        held = subprocess.run([sys.executable, "-c", "from prospect_model.duckdb_plugin import lock_holder; "
                               f"print(lock_holder({str(path)!r}))"], capture_output=True, text=True, timeout=60)
        assert held.stdout.strip() == str(os.getpid()), held.stderr[-500:]


def test_the_lock_table_is_read_for_write_locks_on_this_file_only(tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    path.write_bytes(b"x")
    info = os.stat(path)
    file_id = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    table = tmp_path / "locks"
    table.write_text(f"1: POSIX  ADVISORY  READ  111 {file_id} 0 EOF\n"
                     f"2: POSIX  ADVISORY  WRITE 222 {file_id}9 0 EOF\n"
                     f"3: -> POSIX  ADVISORY  WRITE 333 {file_id} 0 EOF\n"
                     f"4: POSIX  ADVISORY  WRITE {os.getpid()} {file_id} 0 EOF\n")
    assert duckdb_plugin.lock_holder(str(path), str(table)) is None
    table.write_text(table.read_text() + f"5: POSIX  ADVISORY  WRITE 444 {file_id} 0 EOF\n")
    assert duckdb_plugin.lock_holder(str(path), str(table)) == 444
    assert duckdb_plugin.lock_holder(str(tmp_path / "missing.duckdb"), str(table)) is None
    assert duckdb_plugin.lock_holder(str(path), str(tmp_path / "no-lock-table")) is None
