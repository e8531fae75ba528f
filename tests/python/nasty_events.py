"""Generated test data with the nasty cases of README "Semantics" mixed in."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

import pyarrow as pa

import generate_events as gen

T0 = dt.datetime(2024, 3, 10, 10, 0, 0)


def _row(event_id: str | None, user: str | None, tstamp: dt.datetime | None, name: str = "page_view",
         url: str | None = "https://www.example.com/", app: str = "website") -> dict[str, Any]:
    return {"app_id": app, "derived_tstamp": tstamp, "event_id": event_id, "domain_userid": user,
            "event_name": name, "page_url": url}


def handmade_rows() -> list[dict[str, Any]]:
    """Hand-written edge cases; every visitor id starts with 'edge-'."""
    ms = dt.timedelta(milliseconds=1)
    pricing, customers = "https://www.example.com/pricing", "https://www.example.com/customers/acme"
    rows = [
        # Equal timestamps: three events at one instant do not see each other.
        _row("tie-1", "edge-tie", T0, url=pricing), _row("tie-2", "edge-tie", T0, url=pricing),
        _row("tie-3", "edge-tie", T0, url=customers), _row("tie-4", "edge-tie", T0 + ms),
        _row("tie-conv", "edge-tie", T0 + dt.timedelta(minutes=30), "submit_form"),
        # A page view at the very instant of the first conversion is not a row.
        _row("conv-tie-pv", "edge-tie", T0 + dt.timedelta(minutes=30), url=pricing),
        # Whole-second horizon boundary: 3600 boundaries are in, 3601 are out.
        _row("b-3600", "edge-boundary", T0),
        _row("b-3600-frac", "edge-boundary", T0 + 900 * ms),
        _row("b-3601", "edge-boundary", T0 - ms),
        _row("b-conv", "edge-boundary", T0 + dt.timedelta(hours=1) + 100 * ms, "submit_form"),
        _row("b-after", "edge-boundary", T0 + dt.timedelta(hours=2)),
        _row("b-conv-2", "edge-boundary", T0 + dt.timedelta(hours=2, seconds=1), "submit_form"),
        # Duplicated event_id: identical copies, a later copy, a copy at another instant first.
        _row("dup-same", "edge-dup", T0, url=pricing), _row("dup-same", "edge-dup", T0, url=pricing),
        _row("dup-late", "edge-dup", T0 + dt.timedelta(seconds=5)),
        _row("dup-late", "edge-dup", T0 + dt.timedelta(seconds=9)),
        _row("dup-late", "edge-dup", T0 + dt.timedelta(seconds=7)),
        _row("dup-probe", "edge-dup", T0 + dt.timedelta(seconds=8)),
        # Same event_id in another app first: the filter comes before deduplication.
        _row("dup-app", "edge-dup", T0 + dt.timedelta(seconds=1), app="docs-site"),
        _row("dup-app", "edge-dup", T0 + dt.timedelta(seconds=2)),
        # Other apps, other event names and null ids never count, as rows or as history.
        _row("other-app-pv", "edge-apps", T0 - dt.timedelta(minutes=5), url=pricing, app="mobile-app"),
        _row("other-app-conv", "edge-apps", T0 - dt.timedelta(minutes=1), "submit_form", app="docs-site"),
        _row("noise-click", "edge-apps", T0 - dt.timedelta(minutes=2), "link_click", url=pricing),
        _row("apps-pv", "edge-apps", T0),
        _row("null-user-pv", None, T0 - dt.timedelta(minutes=3), url=pricing),
        _row("null-user-conv", None, T0 + dt.timedelta(minutes=3), "submit_form"),
        _row("null-tstamp", "edge-apps", None, url=pricing),
        _row(None, "edge-apps", T0 - dt.timedelta(minutes=4), url=pricing),
        # A visitor who never converts, and one who converts first thing.
        _row("never-1", "edge-never", T0, url=customers), _row("never-2", "edge-never", T0 + dt.timedelta(days=1)),
        _row("first-conv", "edge-convert-first", T0, "submit_form"),
        _row("first-conv-pv", "edge-convert-first", T0 + dt.timedelta(seconds=1)),
        # Ids in every form: DuckDB stores a canonical UUID as a UUID and any other id as
        # text; final_training must give each back unchanged, and a duplicated canonical
        # id is still one event.
        _row("5f0c4a2e-9b1d-4c3e-8f7a-1b2c3d4e5f60", "edge-ids", T0, url=pricing),
        _row("5f0c4a2e-9b1d-4c3e-8f7a-1b2c3d4e5f60", "edge-ids", T0 + dt.timedelta(seconds=3)),
        _row("5F0C4A2E-9B1D-4C3E-8F7A-1B2C3D4E5F61", "edge-ids", T0 + dt.timedelta(seconds=1)),
        _row("{5f0c4a2e-9b1d-4c3e-8f7a-1b2c3d4e5f62}", "edge-ids", T0 + dt.timedelta(seconds=2)),
        _row("5f0c4a2e9b1d4c3e8f7a1b2c3d4e5f63", "edge-ids", T0 + dt.timedelta(seconds=2)),
        _row("5f0c4a2e-9b1d-4c3e-8f7a-1b2c3d4e5f6", "edge-ids", T0 + dt.timedelta(seconds=4)),
    ]
    return rows


def as_rows(table: pa.Table) -> list[dict[str, Any]]:
    """Generator output (upper-case columns) as lower-case dict rows."""
    table = gen.to_plain(table)
    names = [n.lower() for n in table.column_names]
    return [dict(zip(names, values)) for values in zip(*(c.to_pylist() for c in table.columns))]


def mixed_rows(n_events: int = 4000, seed: int = 7) -> list[dict[str, Any]]:
    """Generated events with heavy dirt rates, plus the handmade edge cases."""
    table = gen.generate_events(n_events, seed=seed, duplicate_rate=0.03, null_user_rate=0.02,
                                null_tstamp_rate=0.01, other_app_rate=0.05, noise_event_rate=0.05)
    rows = as_rows(table) + handmade_rows()
    return rows + end_of_data_rows(max(r["derived_tstamp"] for r in rows if r["derived_tstamp"] is not None))


def end_of_data_rows(latest: dt.datetime) -> list[dict[str, Any]]:
    """Rows that end the data two hours after `latest`, with a duplicate copy.

    The very last row is a later copy of 'end-pv': deduplication drops it, but the
    observed data still reaches its time, so 'end-mature' (3601 whole seconds
    before it) has a mature label, 'end-horizon' (exactly 3600 before: a conversion
    later in the horizon's last second would still count) and 'end-pv' (1800
    before) do not.
    """
    end = latest.replace(microsecond=0) + dt.timedelta(hours=2)
    return [
        _row("end-mature", "edge-end", end - dt.timedelta(seconds=3601)),
        _row("end-horizon", "edge-end", end - dt.timedelta(seconds=3600)),
        _row("end-pv", "edge-end", end - dt.timedelta(minutes=30)),
        _row("end-pv", "edge-end", end),
    ]


def clean_rows(n_events: int = 3000, seed: int = 11) -> list[dict[str, Any]]:
    """Events with unique event_ids and no two events of a visitor at one instant."""
    table = gen.generate_events(n_events, seed=seed, duplicate_rate=0.0, null_user_rate=0.0,
                                null_tstamp_rate=0.0, other_app_rate=0.05, noise_event_rate=0.05)
    seen: set[tuple[Any, Any]] = set()
    rows = []
    for row in as_rows(table):
        key = (row["domain_userid"], row["derived_tstamp"])
        if key not in seen:
            seen.add(key)
            rows.append(row)
    return rows


def to_table(rows: list[dict[str, Any]], upper: bool) -> pa.Table:
    """Rows as an Arrow table with the six columns the pipeline reads."""
    names = ["app_id", "derived_tstamp", "event_id", "domain_userid", "event_name", "page_url"]
    arrays = [pa.array([r[n] for r in rows], type=pa.timestamp("ms") if n == "derived_tstamp" else pa.string())
              for n in names]
    return pa.table(arrays, names=[n.upper() if upper else n for n in names])


# ------------------------------------------------------------------ attribute catalogs
#: Every column the catalogs of tests/python/catalogs.py and the presets read, with its type.
CATALOG_COLUMNS: dict[str, pa.DataType] = {
    "app_id": pa.string(), "derived_tstamp": pa.timestamp("ms"), "event_id": pa.string(),
    "domain_userid": pa.string(), "event_name": pa.string(), "page_url": pa.string(),
    "event_vendor": pa.string(), "event_version": pa.string(), "domain_sessionid": pa.string(),
    "domain_sessionidx": pa.int64(), "page_urlpath": pa.string(), "page_title": pa.string(),
    "page_referrer": pa.string(), "refr_medium": pa.string(), "refr_source": pa.string(),
    "mkt_medium": pa.string(), "mkt_source": pa.string(), "mkt_campaign": pa.string(),
    "geo_country": pa.string(), "br_family": pa.string(), "os_family": pa.string(),
    "dvce_ismobile": pa.bool_(), "pp_yoffset_max": pa.int64(), "se_value": pa.float64(),
}
T1 = T0 + dt.timedelta(days=2)


def _stable_fraction(text: str) -> float:
    """A deterministic number in [0, 1) from a string (the same for every copy of an event)."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16) / float(1 << 48)


def with_pings_and_values(rows: list[dict[str, Any]], seed: int = 3) -> list[dict[str, Any]]:
    """Generated rows plus page pings (a history-only event) and se_value on some events.

    About a third of the page views get one to three page_ping events 10 s apart, carrying
    the page's fields and a scroll depth pp_yoffset_max (sometimes null); a fifth of the
    events carry a se_value, decided by event_id so that every copy of an event agrees.
    """
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    n_pings = 0
    for row in rows:
        row = {**row, "pp_yoffset_max": None, "se_value": None}
        if row["event_id"] is not None and _stable_fraction(row["event_id"]) < 0.2:
            row["se_value"] = round(_stable_fraction("v" + row["event_id"]) * 100, 2)
        out.append(row)
        if row["event_name"] != "page_view" or row["derived_tstamp"] is None or rng.random() > 0.35:
            continue
        for k in range(rng.randint(1, 3)):
            n_pings += 1
            depth = None if rng.random() < 0.1 else rng.choice(range(0, 1600, 100))
            out.append({**row, "event_id": f"ping-{n_pings}", "event_name": "page_ping",
                        "derived_tstamp": row["derived_tstamp"] + dt.timedelta(seconds=10 * (k + 1)),
                        "pp_yoffset_max": depth, "se_value": None})
    return out


def _cat(event_id: str, user: str, tstamp: dt.datetime, name: str = "page_view", **props: Any) -> dict[str, Any]:
    row: dict[str, Any] = {column: None for column in CATALOG_COLUMNS}
    row.update(app_id="website", derived_tstamp=tstamp, event_id=event_id, domain_userid=user, event_name=name,
               page_url="https://www.example.com/", page_urlpath="/", event_vendor=gen.VENDOR,
               event_version="1-0-0", domain_sessionid=f"{user}-s1", domain_sessionidx=1)
    row.update(props)
    return row


def catalog_edge_rows() -> list[dict[str, Any]]:
    """Hand-written cases for the attribute catalog; every visitor id starts with 'cat-'.

    The row 'cat-r' (at T1) sees events exactly at each period's boundary (in) and one
    millisecond before it (out), three events at one instant (ordered by event_id for
    first/last), most/least-frequent ties, nulls in every property, history-only events,
    other vendors and versions, other apps, a duplicated ping; 'cat-r-next' one millisecond
    later sees the events at T1; the visitor 'cat-empty' has only defaults; 'cat-many'
    views more than 100 distinct paths (unique_list's cap).
    """
    ms = dt.timedelta(milliseconds=1)
    u, r = "cat-a", T1
    pricing = "https://www.example.com/pricing"
    rows = [
        # Period boundaries: exactly P before the row is in, 1 ms more is out.
        _cat("cat-7d-in", u, r - dt.timedelta(days=7), refr_medium="search", refr_source="Google",
             mkt_medium="cpc", mkt_source="google", mkt_campaign="brand", geo_country="US", dvce_ismobile=False,
             page_url=pricing + "?utm_source=google", page_urlpath="/pricing", se_value=4.0),
        _cat("cat-7d-out", u, r - dt.timedelta(days=7) - ms, refr_medium="social", refr_source="LinkedIn",
             mkt_campaign="q1-abm", mkt_medium="paid_social", mkt_source="linkedin", geo_country="GB"),
        _cat("cat-36h-in", u, r - dt.timedelta(hours=36), geo_country="GB", se_value=2.5, domain_sessionidx=2,
             dvce_ismobile=True,
             domain_sessionid="cat-a-s2", refr_medium="unknown", page_title="Acme Case Study | Example"),
        _cat("cat-36h-out", u, r - dt.timedelta(hours=36) - ms, geo_country="US", se_value=-3.25,
             domain_sessionidx=2, domain_sessionid="cat-a-s2", refr_medium="email"),
        _cat("cat-1d-in", u, r - dt.timedelta(days=1), mkt_source="newsletter", mkt_medium="email",
             domain_sessionidx=3, domain_sessionid="cat-a-s3", refr_medium="email", refr_source="Gmail"),
        _cat("cat-1d-out", u, r - dt.timedelta(days=1) - ms, mkt_source="g2", domain_sessionidx=3,
             domain_sessionid="cat-a-s3", refr_source="Bing"),
        _cat("cat-90m-in", u, r - dt.timedelta(seconds=5400), domain_sessionidx=2, domain_sessionid="cat-a-s4"),
        _cat("cat-90m-out", u, r - dt.timedelta(seconds=5400) - ms, domain_sessionidx=2, domain_sessionid="cat-a-s4"),
        _cat("cat-1h-in", u, r - dt.timedelta(hours=1), page_url=pricing, page_urlpath="/pricing",
             domain_sessionidx=4, domain_sessionid="cat-a-s5", refr_medium="internal"),
        _cat("cat-1h-out", u, r - dt.timedelta(hours=1) - ms, page_url=pricing, page_urlpath="/pricing",
             domain_sessionidx=4, domain_sessionid="cat-a-s5"),
        _cat("cat-ping-1h-in", u, r - dt.timedelta(hours=1), "page_ping", pp_yoffset_max=700, domain_sessionidx=4,
             domain_sessionid="cat-a-s5"),
        _cat("cat-ping-1h-out", u, r - dt.timedelta(hours=1) - ms, "page_ping", pp_yoffset_max=800),
        _cat("cat-ping-30m-in", u, r - dt.timedelta(minutes=30), "page_ping", pp_yoffset_max=300),
        _cat("cat-ping-30m-out", u, r - dt.timedelta(minutes=30) - ms, "page_ping", pp_yoffset_max=900),
        # Three events at one instant: first/last go by event_id; they are ties for the frequencies.
        _cat("cat-tie-2", u, r - dt.timedelta(minutes=10), page_urlpath="/b", mkt_source="linkedin",
             geo_country="US", dvce_ismobile=None, refr_medium="internal"),
        # Their ids: a canonical UUID (DuckDB stores it as one: still first by text), a
        # text id, an upper-case UUID (not canonical: kept as text, between the two).
        _cat("0a000000-0000-4000-8000-00000000000a", u, r - dt.timedelta(minutes=10), page_urlpath="/c", mkt_source="google",
             geo_country="GB", dvce_ismobile=False, refr_medium="search"),
        _cat("FF000000-0000-4000-8000-000000000003", u, r - dt.timedelta(minutes=10), page_urlpath="/a", mkt_source="newsletter",
             geo_country="DE", dvce_ismobile=None),
        _cat("cat-tie-ping-b", u, r - dt.timedelta(minutes=10), "page_ping", pp_yoffset_max=300),
        _cat("cat-tie-ping-a", u, r - dt.timedelta(minutes=10), "page_ping", pp_yoffset_max=700),
        # Nulls in every property (including the ones criteria compare: they never match).
        _cat("cat-nulls", u, r - dt.timedelta(minutes=5), page_url=None, page_urlpath=None, event_version=None,
             event_vendor=None, domain_sessionid=None, domain_sessionidx=None),
        _cat("cat-ping-null", u, r - dt.timedelta(minutes=4), "page_ping", pp_yoffset_max=None),
        # Other vendors and versions of page_view; a history-only link_click.
        _cat("cat-acme", u, r - dt.timedelta(minutes=3), event_vendor="com.acme", event_version="2-0-0",
             geo_country="DE"),
        _cat("cat-v2", u, r - dt.timedelta(minutes=3), event_version="2-0-0", geo_country="DE"),
        _cat("cat-click", u, r - dt.timedelta(minutes=2), "link_click", se_value=10.0),
        # A duplicated ping: the earliest copy counts (once), a copy in another app never.
        _cat("cat-ping-dup", u, r - dt.timedelta(minutes=1), "page_ping", pp_yoffset_max=1500),
        _cat("cat-ping-dup", u, r - dt.timedelta(seconds=30), "page_ping", pp_yoffset_max=1500),
        _cat("cat-ping-app", u, r - dt.timedelta(minutes=1), "page_ping", pp_yoffset_max=1200, app_id="docs-site"),
        _cat("cat-ping-nouser", None, r - dt.timedelta(minutes=1), "page_ping", pp_yoffset_max=1200),
        # The rows: at T1 (events at T1 are not strictly earlier), 1 ms later, and 30 min after
        # the ping at T1 (that ping is exactly at its PT30M boundary).
        _cat("cat-r", u, r, page_url=pricing, page_urlpath="/pricing", geo_country="US"),
        _cat("cat-ping-at-r", u, r, "page_ping", pp_yoffset_max=100),
        _cat("cat-r-next", u, r + ms),
        _cat("cat-r-30m", u, r + dt.timedelta(minutes=30), "submit_form", page_urlpath="/contact"),
        _cat("cat-after-conversion", u, r + dt.timedelta(minutes=31)),
        # A visitor whose first row sees only history-only events, then nothing eligible.
        _cat("cat-empty-ping", "cat-empty", r - dt.timedelta(hours=2), "page_ping", pp_yoffset_max=None),
        _cat("cat-empty-r", "cat-empty", r),
    ]
    # unique_list keeps at most 100 values: 130 distinct paths, then rows.
    for i in range(130):
        rows.append(_cat(f"cat-many-{i:03d}", "cat-many", r + dt.timedelta(seconds=i), page_urlpath=f"/p/{i:03d}"))
    rows.append(_cat("cat-many-r", "cat-many", r + dt.timedelta(minutes=10)))
    return rows


def catalog_rows(n_events: int = 3000, seed: int = 13) -> list[dict[str, Any]]:
    """Dirty generated events (every web_full column) with pings and se_value, the handmade
    cases of mixed_rows, the catalog's edge cases, and the end of the data."""
    table = gen.generate_events(n_events, seed=seed, duplicate_rate=0.03, null_user_rate=0.02,
                                null_tstamp_rate=0.01, other_app_rate=0.05, noise_event_rate=0.05)
    rows = with_pings_and_values(as_rows(table)) + handmade_rows() + catalog_edge_rows()
    rows = [{column: row.get(column) for column in CATALOG_COLUMNS} for row in rows]
    latest = max(r["derived_tstamp"] for r in rows if r["derived_tstamp"] is not None)
    end_rows = end_of_data_rows(latest)
    # A history-only event after the last row event, and a visitor with only such events:
    # neither may move the end of the data or add a row (catalogs that stage page_ping).
    last = end_rows[-1]
    end_rows += [{**last, "event_id": "ping-after-end", "event_name": "page_ping",
                  "derived_tstamp": last["derived_tstamp"] + dt.timedelta(hours=1)},
                 {**last, "event_id": "ping-only", "domain_userid": "edge-ping-only", "event_name": "page_ping"}]
    return rows + [{column: row.get(column) for column in CATALOG_COLUMNS} for row in end_rows]


def to_catalog_table(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table with every column of CATALOG_COLUMNS (lower-case)."""
    return pa.table({name: pa.array([r.get(name) for r in rows], type=type_) for name, type_ in CATALOG_COLUMNS.items()})
