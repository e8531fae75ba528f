"""An independent, deliberately naive implementation of final_training.

Written straight from the definition in README "Semantics", one event at a time,
with no windows and no shared code with the dbt models, so that the two can
be compared on generated data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

FEATURES: tuple[tuple[str, str, str | None], ...] = (
    ("num_page_views", "page_view", None),
    ("num_pricing_views", "page_view", "pricing"),
    ("num_customers_views", "page_view", "customers"),
)


@dataclass(frozen=True)
class Event:
    event_id: str
    domain_userid: str
    derived_tstamp: dt.datetime
    event_name: str
    page_url: str | None


def whole_seconds_between(start: dt.datetime, end: dt.datetime) -> int:
    """Second boundaries crossed from start to end (datediff('second', start, end))."""
    epoch = dt.datetime(1970, 1, 1)
    return int((end.replace(microsecond=0) - epoch).total_seconds()) - int(
        (start.replace(microsecond=0) - epoch).total_seconds()
    )


@dataclass(frozen=True)
class Staged:
    events: list[Event]
    data_end: dt.datetime  # the end of the observed data: latest timestamp of any kept copy


def stage(
    rows: Iterable[dict[str, Any]],
    app_ids: Sequence[str] = ("website",),
    event_names: Sequence[str] = ("page_view", "submit_form"),
) -> Staged:
    """Filter the raw rows (lower-case keys) and keep the earliest copy of each event_id.

    The observed data ends at the latest derived_tstamp among the filtered rows,
    every copy of a duplicated event_id included.
    """
    best: dict[str, tuple[Any, ...]] = {}
    data_end: dt.datetime | None = None
    for row in rows:
        if row["event_id"] is None or row["derived_tstamp"] is None or row["domain_userid"] is None:
            continue
        if row["app_id"] not in app_ids or row["event_name"] not in event_names:
            continue
        if data_end is None or row["derived_tstamp"] > data_end:
            data_end = row["derived_tstamp"]
        key = (row["derived_tstamp"], row["domain_userid"], row["event_name"], row["page_url"] or "")
        if row["event_id"] not in best or key < best[row["event_id"]][0]:
            best[row["event_id"]] = (key, row)
    events = [
        Event(r["event_id"], r["domain_userid"], r["derived_tstamp"], r["event_name"], r["page_url"])
        for _, r in best.values()
    ]
    assert data_end is not None, "no event passes the filters"
    return Staged(events, data_end)


def final_training(
    staged: Staged, conversion_event: str = "submit_form", horizon: int = 3600
) -> dict[str, dict[str, Any]]:
    """Rows of final_training keyed by event_id, computed by brute force."""
    events, data_end = staged.events, staged.data_end
    by_user: dict[str, list[Event]] = {}
    for event in events:
        by_user.setdefault(event.domain_userid, []).append(event)
    out: dict[str, dict[str, Any]] = {}
    for event in events:
        history = by_user[event.domain_userid]
        conversions = [e.derived_tstamp for e in history if e.event_name == conversion_event]
        if conversions and event.derived_tstamp >= min(conversions):
            continue  # at or after the first conversion: not a prediction point
        row: dict[str, Any] = {
            "domain_userid": event.domain_userid,
            "derived_tstamp": event.derived_tstamp,
            "event_name": event.event_name,
        }
        for name, event_name, url_part in FEATURES:
            row[name] = sum(
                1
                for e in history
                if e.derived_tstamp < event.derived_tstamp
                and e.event_name == event_name
                and (url_part is None or (e.page_url is not None and url_part in e.page_url))
            )
        target = any(
            c > event.derived_tstamp and whole_seconds_between(event.derived_tstamp, c) <= horizon
            for c in conversions
        )
        row["target_had_submit_form_next1h"] = target
        row["is_label_mature"] = target or whole_seconds_between(event.derived_tstamp, data_end) >= horizon
        out[event.event_id] = row
    return out
