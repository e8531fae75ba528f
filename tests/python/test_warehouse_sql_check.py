"""scripts/check_compiled_sql.py fails on SQL a warehouse would reject, and passes the project's portable SQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from check_compiled_sql import check_sql

PROJECT_DIR = Path(__file__).resolve().parents[2]


def rules(sql: str, dialect: str) -> set[str]:
    return {problem.rule for problem in check_sql(sql, dialect)}


@pytest.mark.parametrize(
    ("dialect", "sql", "rule"),
    [
        # DuckDB/Snowflake spellings BigQuery does not have.
        ("bigquery", "select count_if(x > 0) from t", "foreign-function"),
        ("bigquery", "select datediff(second, a, b) from t", "foreign-function"),
        ("bigquery", "select iff(a, 1, 2) from t", "denied-function"),
        ("bigquery", "select hash(a) from t", "denied-function"),
        ("bigquery", "select no_such_function(1) from t", "unknown-function"),
        ("bigquery", "select * from read_csv('events.csv')", "denied-function"),
        ("bigquery", "select a, count(*) from t group by all", "group-by-all"),
        ("bigquery", "select cast(null as varchar) as a", "type"),
        ("bigquery", "select cast(a as double) from t", "type"),
        ("bigquery", "select a::int64 from t", "double-colon-cast"),
        ("bigquery", "select 'the visitor''s' as reason", "parse"),
        ("bigquery", "select a from t where b ilike '%x%'", "ilike"),
        ("bigquery", "select a from t qualify row_number() over (partition by a order by b) = 1", "qualify"),
        ("bigquery", "select a from t where a >= datetime_add(cast(b as datetime), interval -1 day)", "bigquery-datetime"),
        (
            "bigquery",
            "select sum(x) over (order by y rows between unbounded preceding and current row exclude group) from t",
            "window-exclude",
        ),
        # BigQuery and DuckDB spellings Snowflake does not have.
        ("snowflake", "select countif(x > 0) from t", "foreign-function"),
        ("snowflake", "select unix_seconds(a) from t", "foreign-function"),
        ("snowflake", "select farm_fingerprint(a) from t", "denied-function"),
        ("snowflake", "select no_such_function(1) from t", "unknown-function"),
        ("snowflake", "select cast(a as int64) from t", "type"),
        ("snowflake", "select cast(a as hugeint) from t", "type"),
        ("snowflake", "select a, count(*) from t group by all", "group-by-all"),
        ("snowflake", "select * from read_parquet('events.parquet')", "denied-function"),
    ],
)
def test_checker_flags_what_the_warehouse_rejects(dialect: str, sql: str, rule: str) -> None:
    assert rule in rules(sql, dialect)


PORTABLE_BIGQUERY = """
with e as (
    select cast(event_id as string) as event_id, cast(derived_tstamp as timestamp) as derived_tstamp,
        safe_cast('3' as INT64) as n, cast(1 as bigint) as b
    from `p`.`d`.`events`
    where true
    qualify row_number() over (partition by event_id order by derived_tstamp) = 1
)
select
    event_id,
    countif(n > 0) over (partition by event_id) as c,
    sum(n) over (partition by event_id order by derived_tstamp range between unbounded preceding and current row) as s,
    (unix_seconds(timestamp_trunc(derived_tstamp, second)) - unix_seconds(timestamp_trunc(derived_tstamp, second))) as d,
    timestamp_add(cast(derived_tstamp as timestamp), interval -60 day) as t,
    timestamp_trunc(cast(derived_tstamp as timestamp), day) as day,
    farm_fingerprint(cast(event_id as string)) as k,
    'the visitor\\'s' as q
from e
"""

PORTABLE_SNOWFLAKE = """
select
    cast(event_id as TEXT) as event_id,
    try_cast('a' as character varying) as v,
    try_cast(null as NUMBER(38,0)) as n,
    try_cast(null as TIMESTAMP_NTZ) as ts,
    count_if(a > 0) as c,
    datediff(second, a, b) as d,
    dateadd(day, -60, a) as t,
    date_trunc('day', a) as day,
    mod(hash(event_id), 9223372036854775807) as k,
    iff(a > 0, 1, 0) as i,
    a::varchar as s
from prospect_db.ci.events
qualify row_number() over (partition by event_id order by a) = 1
"""


@pytest.mark.parametrize(("dialect", "sql"), [("bigquery", PORTABLE_BIGQUERY), ("snowflake", PORTABLE_SNOWFLAKE)])
def test_checker_passes_portable_sql(dialect: str, sql: str) -> None:
    assert check_sql(sql, dialect) == []


def test_checker_command_line_exit_status(tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    (good / "model.sql").write_text("select countif(a) from t")
    (bad / "model.sql").write_text("select count_if(a) from t group by all")
    script = str(PROJECT_DIR / "scripts" / "check_compiled_sql.py")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, script, *args], capture_output=True, text=True, timeout=120)

    ok = run("--dialect", "bigquery", str(good))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    failed = run("--dialect", "bigquery", str(bad))
    assert failed.returncode == 1
    assert "[group-by-all]" in failed.stdout and "count_if" in failed.stdout
    assert run("--dialect", "bigquery", str(tmp_path / "missing")).returncode == 2
    assert run("--dialect", "bigquery", "--allow", "count_if", str(bad)).stdout.count("count_if") == 0


@pytest.mark.parametrize("dialect", ["spark", "databricks"])
@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        ("select countif(x > 0) from t", "foreign-function"),
        ("select timestamp_trunc(a, second) from t", "foreign-function"),
        ("select cast(a as int64) from t", "type"),
        ("select cast(b as hugeint) from t", "type"),
        ("select a, count(*) from t group by all", "group-by-all"),
        ("select * from read_parquet('events.parquet')", "foreign-function"),
        ("select count(distinct a) over (partition by b) from t", "distinct-window"),
    ],
)
def test_checker_flags_what_spark_and_databricks_reject(dialect: str, sql: str, rule: str) -> None:
    assert rule in rules(sql, dialect)


@pytest.mark.parametrize("dialect", ["snowflake", "bigquery"])
def test_checker_flags_distinct_in_an_ordered_window_on_snowflake_and_bigquery(dialect: str) -> None:
    sql = "select count(distinct a) over (partition by b order by c rows between unbounded preceding and 1 preceding) from t"
    assert "distinct-window" in rules(sql, dialect)
    assert "distinct-window" not in rules("select count(a) over (partition by b order by c) from t", dialect)


def test_checker_flags_qualify_on_spark_only() -> None:
    sql = "select a from t qualify row_number() over (partition by a order by b) = 1"
    assert "qualify" in rules(sql, "spark")
    assert rules(sql, "databricks") == set()


PORTABLE_SPARK = r"""
select * except (_copy_rank)
from (
    select
        cast(event_id as string) as event_id,
        cast(derived_tstamp as timestamp) as derived_tstamp,
        row_number() over (partition by event_id order by derived_tstamp nulls last, page_url nulls last) as _copy_rank,
        (unix_seconds(derived_tstamp) - unix_seconds(derived_tstamp)) as d,
        timestampadd(day, -60, cast(derived_tstamp as timestamp)) as t,
        date_trunc('day', derived_tstamp) as day,
        case when event_id is null then null else xxhash64(event_id) end as k,
        'o\'brien\\app' as q,
        sum(x) over (partition by event_id order by derived_tstamp range between unbounded preceding and current row) as s
    from `prospect_ci`.`events`
    where page_url like '%pricing%'
) as ranked
where _copy_rank = 1
"""


@pytest.mark.parametrize("dialect", ["spark", "databricks"])
def test_checker_passes_portable_spark_sql(dialect: str) -> None:
    assert check_sql(PORTABLE_SPARK, dialect) == []
