"""Tests of scripts/generate_events.py (synthetic Snowplow events); fast (< 10 s)."""

from __future__ import annotations

import gzip
import importlib.util
import re
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "seeds" / "snowplow_sample_events.csv"


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_events", REPO / "scripts" / "generate_events.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ge = _load_generator()

CLEAN = dict(duplicate_rate=0.0, null_user_rate=0.0, null_tstamp_rate=0.0,
             other_app_rate=0.0, noise_event_rate=0.0)
TS_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$")


def _csv_bytes(tmp_path: Path, name: str, **kwargs) -> bytes:
    path = ge.write_events(ge.generate_events(**kwargs), tmp_path / name)
    return path.read_bytes()


@pytest.fixture(scope="module")
def dirty() -> pa.Table:
    """20k events with exaggerated dirt, plain string columns."""
    return ge.generate_events(20_000, seed=7, duplicate_rate=0.02, null_user_rate=0.05,
                              null_tstamp_rate=0.01, other_app_rate=0.05,
                              noise_event_rate=0.05, dictionary=False)


def test_committed_sample_matches_generator_defaults(tmp_path):
    expected = _csv_bytes(tmp_path, "sample.csv", n_events=ge.DEFAULT_EVENTS)
    assert SAMPLE.read_bytes() == expected, (
        "seeds/snowplow_sample_events.csv drifted from the generator: regenerate it with "
        "`python scripts/generate_events.py --output seeds/snowplow_sample_events.csv`")


def test_an_interrupted_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    """The file is written beside the destination and renamed: a failure mid-way (here: after
    the first bytes) keeps the previous file byte for byte and leaves no partial file."""
    target = tmp_path / "events.csv"
    previous = _csv_bytes(tmp_path, "events.csv", n_events=500, seed=1)
    real_write = ge._write_parts

    def fail_after_some_bytes(path, *args):
        real_write(path, *args)
        raise KeyboardInterrupt  # as a user's Ctrl-C would, after the partial file has content

    monkeypatch.setattr(ge, "_write_parts", fail_after_some_bytes)
    with pytest.raises(KeyboardInterrupt):
        ge.write_events(ge.generate_events(n_events=800, seed=2), target)
    assert target.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv"]


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    a = _csv_bytes(tmp_path, "a.csv", n_events=3_000, seed=5)
    b = _csv_bytes(tmp_path, "b.csv", n_events=3_000, seed=5)
    c = _csv_bytes(tmp_path, "c.csv", n_events=3_000, seed=6)
    assert a == b
    assert a != c
    for name in ("a.parquet", "b.parquet"):
        ge.write_events(ge.generate_events(3_000, seed=5), tmp_path / name)
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_columns_order_and_types(tmp_path):
    table = ge.generate_events(2_000, dictionary=False)
    assert table.column_names == list(ge.COLUMNS)
    assert table.schema == ge.SCHEMA
    assert table.num_rows == 2_000  # exact, duplicates included
    header = SAMPLE.read_text().split("\n", 1)[0]
    assert header.split(",") == list(ge.COLUMNS)

    path = ge.write_events(table, tmp_path / "ev.parquet", lowercase_columns=True)
    read = pq.read_table(path)
    assert read.column_names == [c.lower() for c in ge.COLUMNS]
    assert read.schema.field("derived_tstamp").type == pa.timestamp("ms")
    assert read.schema.field("page_url").type == pa.string()
    assert read.num_rows == 2_000

    gz = ge.write_events(table, tmp_path / "ev.csv.gz")
    with gzip.open(gz, "rt") as fh:
        assert fh.readline().rstrip("\n").split(",") == list(ge.COLUMNS)


def test_timestamps_millisecond_text_and_values(tmp_path):
    lines = SAMPLE.read_text().splitlines()[1:]
    idx = ge.COLUMNS.index("DERIVED_TSTAMP")
    stamps = [line.split(",")[idx] for line in lines]
    assert all(TS_TEXT.match(s) for s in stamps if s)
    assert any(not s.endswith("000") for s in stamps if s)  # real milliseconds
    table = ge.generate_events(5_000, seed=3, **CLEAN)
    ts = table["DERIVED_TSTAMP"]
    assert ts.type == pa.timestamp("ms")
    assert str(pc.min(ts).as_py()) >= "2024-03-01"
    assert str(pc.max(ts).as_py()) < "2024-03-22"
    assert pc.all(pc.greater_equal(pc.subtract(ts.cast(pa.int64())[1:], ts.cast(pa.int64())[:-1]), 0)).as_py()


def test_dirt_rates_roughly_as_configured(dirty):
    n = dirty.num_rows
    n_distinct = pc.count_distinct(dirty["EVENT_ID"]).as_py()
    assert (n - n_distinct) / n == pytest.approx(0.02, abs=0.002)
    assert dirty["DOMAIN_USERID"].null_count / n == pytest.approx(0.05, abs=0.005)
    assert dirty["DERIVED_TSTAMP"].null_count / n == pytest.approx(0.01, abs=0.002)
    apps = dict(zip(*[c.to_pylist() for c in pc.value_counts(dirty["APP_ID"]).flatten()]))
    assert set(apps) == {"website", "docs-site", "mobile-app"}
    assert (apps["docs-site"] + apps["mobile-app"]) / n == pytest.approx(0.05, abs=0.01)
    names = pc.value_counts(dirty["EVENT_NAME"]).flatten()
    counts = dict(zip(names[0].to_pylist(), names[1].to_pylist()))
    noise = counts["link_click"] + counts["web_vitals"] + counts["application_error"]
    assert noise / n == pytest.approx(0.05, abs=0.005)


def test_duplicates_are_redeliveries(dirty):
    ids = dirty["EVENT_ID"]
    dup_ids = pc.filter(pc.value_counts(ids).field("values"),
                        pc.greater(pc.value_counts(ids).field("counts"), 1))
    dups = dirty.filter(pc.is_in(ids, dup_ids)).sort_by([("EVENT_ID", "ascending")])
    assert dups.num_rows == 2 * len(dup_ids)  # each duplicated exactly once
    for col in ("PAGE_URL", "EVENT_NAME", "DOMAIN_SESSIONID", "APP_ID", "REFR_MEDIUM", "MKT_CAMPAIGN",
                "GEO_COUNTRY", "PAGE_REFERRER"):
        values = dups[col].to_pylist()
        assert values[0::2] == values[1::2]


def test_clean_data_when_rates_are_zero():
    table = ge.generate_events(5_000, seed=11, **CLEAN)
    assert pc.count_distinct(table["EVENT_ID"]).as_py() == table.num_rows
    assert table["DOMAIN_USERID"].null_count == 0
    assert table["DERIVED_TSTAMP"].null_count == 0
    assert set(pc.unique(table["APP_ID"]).to_pylist()) == {"website"}
    assert set(pc.unique(table["EVENT_NAME"]).to_pylist()) == {"page_view", "submit_form"}


def test_event_semantics(dirty):
    event = dirty["EVENT"].to_pylist()
    name = dirty["EVENT_NAME"].to_pylist()
    assert all((e == "page_view") == (n == "page_view") for e, n in zip(event, name))
    assert set(event) == {"page_view", "unstruct"}
    for col, value in (("PLATFORM", "web"), ("EVENT_VENDOR", "com.snowplowanalytics.snowplow"),
                       ("EVENT_FORMAT", "jsonschema"), ("EVENT_VERSION", "1-0-0")):
        assert pc.unique(dirty[col]).to_pylist() == [value]
    uuid = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    assert all(uuid.match(v) for v in dirty["EVENT_ID"].to_pylist()[:500])
    assert pc.min(dirty["DOMAIN_SESSIONIDX"]).as_py() == 1
    web = dirty.filter(pc.equal(dirty["APP_ID"], "website"))
    assert pc.all(pc.starts_with(web["PAGE_URL"], "https://www.example.com/")).as_py()


def test_conversion_depends_on_pricing_and_customers_views():
    table = ge.generate_events(ge.DEFAULT_EVENTS, **CLEAN)
    users = table["DOMAIN_USERID"].to_pylist()
    names = table["EVENT_NAME"].to_pylist()
    urls = table["PAGE_URL"].to_pylist()
    views: dict[str, int] = {}
    converted: set[str] = set()
    for user, name, url in zip(users, names, urls):  # rows are in time order
        if name == "submit_form":
            converted.add(user)
        elif name == "page_view" and user not in converted and ("/pricing" in url or "/customers" in url):
            views[user] = views.get(user, 0) + 1
    everyone = set(users)
    assert 0.2 * len(everyone) <= len(converted) <= 0.45 * len(everyone)
    mean = lambda group: sum(views.get(u, 0) for u in group) / len(group)  # noqa: E731
    assert mean(converted) > 1.25 * mean(everyone - converted)  # the tutorial counters carry signal


def _sessions(table: pa.Table) -> dict[str, list[dict]]:
    """Website rows of each session, in time order."""
    out: dict[str, list[dict]] = {}
    for row in table.filter(pc.equal(table["APP_ID"], "website")).to_pylist():
        out.setdefault(row["DOMAIN_SESSIONID"], []).append(row)
    return out


def test_submission_comes_in_the_session_of_peak_interest():
    """Recent behaviour tells when: the converting session holds more pricing/customers
    views before the submission than the converter's earlier sessions in all."""
    table = ge.generate_events(ge.DEFAULT_EVENTS, **CLEAN)
    interest_before, interest_other = [], []
    by_user: dict[str, list[list[dict]]] = {}
    for rows in _sessions(table).values():
        by_user.setdefault(rows[0]["DOMAIN_USERID"], []).append(rows)
    for sessions in by_user.values():
        sessions.sort(key=lambda rows: rows[0]["DOMAIN_SESSIONIDX"])
        converting = next((i for i, rows in enumerate(sessions)
                           if any(r["EVENT_NAME"] == "submit_form" for r in rows)), None)
        if converting is None or converting == 0:
            continue

        def interest(rows: list[dict]) -> int:
            return sum(r["EVENT_NAME"] == "page_view" and ("/pricing" in r["PAGE_URL"] or "/customers" in r["PAGE_URL"])
                       for r in rows)

        rows = sessions[converting]
        first_submit = next(i for i, r in enumerate(rows) if r["EVENT_NAME"] == "submit_form")
        interest_before.append(interest(rows[:first_submit]))
        interest_other.append(sum(interest(s) for s in sessions[:converting]) / converting)
    assert len(interest_before) > 50
    assert sum(interest_before) / len(interest_before) > 1.5 * sum(interest_other) / len(interest_other)


def test_traffic_source_changes_conversion():
    """Visitors whose first touch is a referral or paid search convert more than social ones."""
    table = ge.generate_events(ge.DEFAULT_EVENTS, **CLEAN)
    first: dict[str, tuple[str | None, str | None]] = {}
    converted: set[str] = set()
    for row in table.to_pylist():
        first.setdefault(row["DOMAIN_USERID"], (row["REFR_MEDIUM"], row["MKT_MEDIUM"]))
        if row["EVENT_NAME"] == "submit_form":
            converted.add(row["DOMAIN_USERID"])

    def rate(keep) -> float:
        group = [u for u, media in first.items() if keep(*media)]
        assert len(group) > 50
        return sum(u in converted for u in group) / len(group)

    strong = rate(lambda refr, mkt: mkt in ("cpc", "referral"))
    social = rate(lambda refr, mkt: refr == "social" and mkt is None)
    assert strong > 1.5 * social


def test_context_columns_are_consistent_with_the_page_and_the_session():
    table = ge.generate_events(8_000, seed=3, duplicate_rate=0.0, null_user_rate=0.01, null_tstamp_rate=0.0,
                               other_app_rate=0.05, noise_event_rate=0.05, dictionary=False)
    countries = {c for c, _, _ in ge.COUNTRIES}
    per_user: dict[str, set] = {}
    for rows in _sessions(table).values():
        indices = {r["DOMAIN_SESSIONIDX"] for r in rows}
        assert len(indices) == 1  # one index per session
        for i, row in enumerate(rows):
            url = row["PAGE_URL"]
            path = "/" + url.split("?", 1)[0].split("://", 1)[1].partition("/")[2]
            assert row["PAGE_URLPATH"] == path
            assert row["PAGE_TITLE"].endswith("| Example") or row["PAGE_TITLE"].startswith("Example |")
            query = dict(p.split("=", 1) for p in url.partition("?")[2].split("&") if p.startswith("utm_"))
            assert (row["MKT_SOURCE"], row["MKT_MEDIUM"], row["MKT_CAMPAIGN"]) == (
                query.get("utm_source"), query.get("utm_medium"), query.get("utm_campaign"))
            if all(r["EVENT_NAME"] != "page_view" for r in rows[1:i + 1]):  # on the landing page
                assert row["REFR_MEDIUM"] != "internal"
                assert (row["REFR_MEDIUM"] is None) == (row["PAGE_REFERRER"] is None) or row["MKT_MEDIUM"] == "email"
            else:
                assert row["REFR_MEDIUM"] == "internal" and row["REFR_SOURCE"] is None
                assert row["PAGE_REFERRER"].startswith("https://www.example.com/")
            assert row["GEO_COUNTRY"] is None or row["GEO_COUNTRY"] in countries
            if row["DOMAIN_USERID"] is not None:
                per_user.setdefault(row["DOMAIN_USERID"], set()).add(
                    (row["GEO_COUNTRY"], row["BR_FAMILY"], row["OS_FAMILY"], row["DVCE_ISMOBILE"]))
    assert all(len(v) == 1 for v in per_user.values())  # one country and device per visitor
    media = set(pc.unique(table["REFR_MEDIUM"]).to_pylist())
    assert media == {None, "search", "social", "email", "unknown", "internal"}
    assert 0 < table["GEO_COUNTRY"].null_count < 0.05 * table.num_rows
    assert set(pc.unique(table["DVCE_ISMOBILE"]).to_pylist()) == {True, False}


def test_session_index_increases_with_the_visitors_sessions():
    table = ge.generate_events(5_000, seed=4, **CLEAN)
    seen: dict[str, dict[str, int]] = {}
    for row in table.to_pylist():  # time order
        sessions = seen.setdefault(row["DOMAIN_USERID"], {})
        if row["DOMAIN_SESSIONID"] not in sessions:
            assert row["DOMAIN_SESSIONIDX"] == len(sessions) + 1
            sessions[row["DOMAIN_SESSIONID"]] = row["DOMAIN_SESSIONIDX"]
        assert sessions[row["DOMAIN_SESSIONID"]] == row["DOMAIN_SESSIONIDX"]


def test_bot_visitor_is_heavy_and_packed_in_time():
    small = pc.value_counts(ge.generate_events(5_000, **CLEAN)["DOMAIN_USERID"]).flatten()
    assert pc.max(small[1]).as_py() < 1_000  # no bots by default below 400k events
    table = ge.generate_events(30_000, seed=1, n_bots=1, **CLEAN)
    counts = pc.value_counts(table["DOMAIN_USERID"]).flatten()
    top = pc.index(counts[1], pc.max(counts[1])).as_py()
    bot = counts[0][top]
    assert counts[1][top].as_py() >= 10_000
    ts = table.filter(pc.equal(table["DOMAIN_USERID"], bot))["DERIVED_TSTAMP"]
    span = pc.max(ts).as_py() - pc.min(ts).as_py()
    assert span.total_seconds() < 2 * 86_400
    assert not table.filter(pc.and_(pc.equal(table["DOMAIN_USERID"], bot),
                                    pc.equal(table["EVENT_NAME"], "submit_form"))).num_rows


@pytest.mark.parametrize("argv, fragment", [
    (["--events", "-1", "--output", "x.csv"], "--events"),
    (["--events", "10", "--output", "x.json"], "unknown output extension"),
    (["--duplicate-rate", "2", "--output", "x.csv"], "--duplicate-rate"),
    (["--start", "yesterday", "--output", "x.csv"], "--start"),
])
def test_cli_rejects_bad_arguments(argv, fragment, capsys):
    with pytest.raises(SystemExit) as exc:
        ge.main(argv)
    assert exc.value.code != 0
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1


def test_cli_writes_file(tmp_path):
    out = tmp_path / "sub" / "events.parquet"
    assert ge.main(["--events", "1_000", "--clean", "--output", str(out), "--log-level", "WARNING"]) == 0
    assert pq.read_table(out).num_rows == 1_000


def test_generate_rejects_bad_values():
    with pytest.raises(ValueError):
        ge.generate_events(-1)
    with pytest.raises(ValueError):
        ge.generate_events(10, null_user_rate=1.5)
    with pytest.raises(ValueError):
        ge.output_format("events.json")
    assert ge.generate_events(0).num_rows == 0
