"""Generated test data with the nasty cases of README "Semantics" mixed in."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import generate_events as gen  # noqa: E402

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
    observed data still reaches its time, so 'end-mature' (exactly 3600 whole
    seconds before it) has a mature label and 'end-pv' (1800 before) does not.
    """
    end = latest.replace(microsecond=0) + dt.timedelta(hours=2)
    return [
        _row("end-mature", "edge-end", end - dt.timedelta(hours=1)),
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
