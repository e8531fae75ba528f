"""An independent, deliberately naive implementation of final_training.

Written straight from the definitions (README "Semantics", the attribute catalog's
meaning in Snowplow Signals' vocabulary), one event and one attribute at a time,
with plain Python loops: no windows and no shared code with the dbt models, so
that the two can be compared on generated data.

An attribute is a dict in the Signals SDK's JSON shape (``name``, ``type``,
``events``, ``aggregation``, ``property``, ``criteria``, ``period``,
``default_value``, ``time_unit``); see tests/python/catalogs.py.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

#: The tutorial's three counters: (name, event name, substring of page_url or None).
FEATURES: tuple[tuple[str, str, str | None], ...] = (
    ("num_page_views", "page_view", None),
    ("num_pricing_views", "page_view", "pricing"),
    ("num_customers_views", "page_view", "customers"),
)

#: The same three counters as attribute definitions (the `tutorial` preset).
TUTORIAL_ATTRIBUTES: list[dict[str, Any]] = [
    {
        "name": name,
        "type": "int64",
        "events": [{"name": event_name}],
        "aggregation": "counter",
        **({"criteria": {"all": [{"property": {"type": "atomic", "name": "page_url"},
                                  "operator": "like", "value": f"%{part}%"}]}} if part else {}),
    }
    for name, event_name, part in FEATURES
]

DEFAULT_EVENT_NAMES = ("page_view", "submit_form")
ZERO_WHEN_EMPTY = {"counter", "sum", "approx_count_distinct", "unique_list"}
UNIQUE_LIST_CAP = 100
TIME_UNIT_SECONDS = {"s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


@dataclass(frozen=True)
class Event:
    event_id: str
    domain_userid: str
    derived_tstamp: dt.datetime
    event_name: str
    page_url: str | None
    props: Mapping[str, Any] = field(default_factory=dict, compare=False)  # every column of the row

    def get(self, column: str) -> Any:
        return self.props.get(column)


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
    row_event_names: tuple[str, ...] = DEFAULT_EVENT_NAMES


class NoEventPasses(AssertionError):
    """No row event passes the filters of stage(): final_training is empty (a test's data or
    vars went wrong, unless, as in fuzz_oracle.py, such vars are drawn on purpose)."""


def attribute_event_names(attributes: Iterable[Mapping[str, Any]]) -> set[str]:
    """Event names that some attribute names in its `events` (they are staged too)."""
    return {spec["name"] for a in attributes for spec in a.get("events") or [] if spec.get("name")}


REQUIRED_COLUMNS = ("event_id", "app_id", "derived_tstamp", "domain_userid", "event_name", "page_url")


def attribute_columns(attributes: Iterable[Mapping[str, Any]]) -> set[str]:
    """Columns of the events that the attributes read: properties, criteria, and
    event_vendor / event_version where an event names them (the staged events carry them)."""
    columns: set[str] = set()
    for a in attributes:
        if a.get("property"):
            columns.add(a["property"]["name"])
        criteria = a.get("criteria") or {}
        for criterion in [*(criteria.get("all") or []), *(criteria.get("any") or [])]:
            columns.add(criterion["property"]["name"])
        for spec in a.get("events") or []:
            columns.update(c for c, k in (("event_vendor", "vendor"), ("event_version", "version")) if spec.get(k))
    return columns


def _as_datetime(value: str | dt.datetime | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value)


def stage(
    rows: Iterable[dict[str, Any]],
    app_ids: Sequence[str] = ("website",),
    event_names: Sequence[str] = DEFAULT_EVENT_NAMES,
    attributes: Sequence[Mapping[str, Any]] = (),
    start_date: str | dt.datetime | None = None,
    end_date: str | dt.datetime | None = None,
) -> Staged:
    """Filter the raw rows (lower-case keys) and keep the earliest copy of each event_id.

    Kept: complete keys (event_id, domain_userid, derived_tstamp), app_id in
    ``app_ids``, event_name in ``event_names`` or named by one of ``attributes``
    (history-only events). Each event_id keeps its earliest copy (ties broken by
    domain_userid, event_name, page_url, app_id, then the columns the attributes read,
    by name; nulls last); then the time range [start, end) applies.
    The observed data ends at the latest derived_tstamp among the filtered rows of
    row events (``event_names``, not the history-only ones) in the range, every copy
    of a duplicated event_id included.
    """
    kept_names = set(event_names) | attribute_event_names(attributes)
    start, end = _as_datetime(start_date), _as_datetime(end_date)
    order = ["derived_tstamp", "domain_userid", "event_name", "page_url", "app_id",
             *sorted(attribute_columns(attributes) - set(REQUIRED_COLUMNS))]

    def in_range(tstamp: dt.datetime) -> bool:
        return (start is None or tstamp >= start) and (end is None or tstamp < end)

    best: dict[str, tuple[Any, dict[str, Any]]] = {}
    data_end: dt.datetime | None = None
    for row in rows:
        if row["event_id"] is None or row["derived_tstamp"] is None or row["domain_userid"] is None:
            continue
        if row["app_id"] not in app_ids or row["event_name"] not in kept_names:
            continue
        if (in_range(row["derived_tstamp"]) and row["event_name"] in event_names
                and (data_end is None or row["derived_tstamp"] > data_end)):
            data_end = row["derived_tstamp"]
        key = tuple((row.get(c) is None, row.get(c)) for c in order)  # nulls last
        if row["event_id"] not in best or key < best[row["event_id"]][0]:
            best[row["event_id"]] = (key, row)
    events = [
        Event(r["event_id"], r["domain_userid"], r["derived_tstamp"], r["event_name"], r.get("page_url"), dict(r))
        for _, r in best.values()
        if in_range(r["derived_tstamp"])
    ]
    if data_end is None:
        raise NoEventPasses("no event passes the filters")
    return Staged(events, data_end, tuple(event_names))


# ------------------------------------------------------------------ attributes
_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def period_seconds(period: str | int | float) -> float:
    """An ISO-8601 duration (PT30M, PT1H, P7D, P1DT12H) or a number of seconds, in seconds."""
    if isinstance(period, (int, float)) and not isinstance(period, bool):
        return float(period)
    text = str(period).strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    match = _DURATION.match(text)
    assert match and text not in ("P", "PT"), f"not a duration: {period!r}"
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]


def _like(value: str, pattern: str) -> bool:
    """SQL LIKE, case-sensitive: % any run of characters, _ one character."""
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, flags=re.DOTALL) is not None


def criterion_holds(event: Event, criterion: Mapping[str, Any]) -> bool:
    """One {property, operator, value}; a comparison with a null property is false."""
    value = event.get(criterion["property"]["name"])
    operator, operand = criterion["operator"], criterion.get("value")
    if operator == "is null":
        return value is None
    if operator == "is not null":
        return value is not None
    if value is None:
        return False
    if operator == "=":
        return value == operand
    if operator == "!=":
        return value != operand
    if operator == "<":
        return value < operand
    if operator == ">":
        return value > operand
    if operator == "<=":
        return value <= operand
    if operator == ">=":
        return value >= operand
    if operator == "like":
        return _like(value, operand)
    if operator == "in":
        return value in operand
    raise AssertionError(f"unknown operator {operator!r}")


def matches_events(event: Event, specs: Sequence[Mapping[str, Any]]) -> bool:
    """`events: []` matches every staged event; else name (and vendor, version when given)."""
    if not specs:
        return True
    return any(
        (spec.get("name") is None or event.event_name == spec["name"])
        and (spec.get("vendor") is None or event.get("event_vendor") == spec["vendor"])
        and (spec.get("version") is None or event.get("event_version") == spec["version"])
        for spec in specs
    )


def matches_criteria(event: Event, criteria: Mapping[str, Any] | None) -> bool:
    """`all`: every criterion; `any`: at least one; both given: all AND any."""
    if not criteria:
        return True
    every = criteria.get("all")
    some = criteria.get("any")
    if every and not all(criterion_holds(event, c) for c in every):
        return False
    if some and not any(criterion_holds(event, c) for c in some):
        return False
    return True


def _cast(value: Any, type_: str) -> Any:
    if value is None:
        return None
    if type_ in ("int32", "int64"):
        return int(value)
    if type_ in ("float", "double"):
        return float(value)
    if type_ == "string":
        return str(value)
    if type_ == "bool":
        return bool(value)
    if type_ == "timestamp" and isinstance(value, str):  # a default_value: 'YYYY-MM-DD[ T]HH:MM:SS[.ffffff]'
        return dt.datetime.fromisoformat(value)
    return value


def attribute_value(attribute: Mapping[str, Any], history: Sequence[Event], at: dt.datetime) -> Any:
    """The attribute at instant ``at`` from the visitor's events strictly earlier than it.

    ``history`` is the visitor's staged events ordered by (derived_tstamp, event_id).
    """
    aggregation = attribute["aggregation"]
    period = attribute.get("period")
    since = at - dt.timedelta(seconds=period_seconds(period)) if period is not None else None
    eligible = [
        e for e in history
        if e.derived_tstamp < at
        and (since is None or e.derived_tstamp >= since)
        and matches_events(e, attribute.get("events") or [])
        and matches_criteria(e, attribute.get("criteria"))
    ]
    prop = (attribute.get("property") or {}).get("name")
    values = [e.get(prop) for e in eligible if e.get(prop) is not None] if prop else []
    type_ = attribute["type"]

    if aggregation == "counter":
        return len(eligible)
    if aggregation == "approx_count_distinct":
        return len(set(values))
    if aggregation == "unique_list":
        return min(len(set(values)), UNIQUE_LIST_CAP)
    if aggregation == "sum":
        return _cast(sum(values), type_) if values else _cast(0, type_)
    if aggregation in ("time_since_first", "time_since_last"):
        if not eligible:
            return _cast(attribute.get("default_value"), "double")
        anchor = eligible[0] if aggregation == "time_since_first" else eligible[-1]
        return (at - anchor.derived_tstamp).total_seconds() / TIME_UNIT_SECONDS[attribute["time_unit"]]
    if not values:
        return _cast(attribute.get("default_value"), type_)
    if aggregation == "min":
        return _cast(min(values), type_)
    if aggregation == "max":
        return _cast(max(values), type_)
    if aggregation == "mean":
        return float(sum(values)) / len(values)
    if aggregation == "first":
        return _cast(values[0], type_)
    if aggregation == "last":
        return _cast(values[-1], type_)
    if aggregation in ("most_frequent", "least_frequent"):
        counts = Counter(values)
        pick = max(counts.values()) if aggregation == "most_frequent" else min(counts.values())
        return _cast(min(v for v, n in counts.items() if n == pick), type_)
    raise AssertionError(f"unsupported aggregation {aggregation!r}")


# ------------------------------------------------------------------ final_training
def target_name(conversion_event: str = "submit_form", horizon: int = 3600) -> str:
    """target_had_<conversion>_next<horizon in its largest whole unit: d, h, m, else s>."""
    for unit, seconds in (("d", 86400), ("h", 3600), ("m", 60)):
        if horizon % seconds == 0:
            return f"target_had_{conversion_event}_next{horizon // seconds}{unit}"
    return f"target_had_{conversion_event}_next{horizon}s"


def final_training(
    staged: Staged,
    conversion_event: str = "submit_form",
    horizon: int = 3600,
    attributes: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Rows of final_training keyed by event_id, computed by brute force.

    Rows are the staged events named in the staged row event names, strictly
    before the visitor's first conversion; ``attributes`` default to the
    tutorial's three counters.
    """
    attributes = TUTORIAL_ATTRIBUTES if attributes is None else attributes
    events, data_end = staged.events, staged.data_end
    by_user: dict[str, list[Event]] = {}
    for event in events:
        by_user.setdefault(event.domain_userid, []).append(event)
    for history in by_user.values():
        history.sort(key=lambda e: (e.derived_tstamp, e.event_id))
    target = target_name(conversion_event, horizon)
    out: dict[str, dict[str, Any]] = {}
    for event in events:
        if event.event_name not in staged.row_event_names:
            continue  # a history-only event feeds attributes, it is not a row
        history = by_user[event.domain_userid]
        conversions = [e.derived_tstamp for e in history if e.event_name == conversion_event]
        if conversions and event.derived_tstamp >= min(conversions):
            continue  # at or after the first conversion: not a prediction point
        row: dict[str, Any] = {
            "domain_userid": event.domain_userid,
            "derived_tstamp": event.derived_tstamp,
            "event_name": event.event_name,
        }
        for attribute in attributes:
            row[attribute["name"]] = attribute_value(attribute, history, event.derived_tstamp)
        label = any(
            c > event.derived_tstamp and whole_seconds_between(event.derived_tstamp, c) <= horizon
            for c in conversions
        )
        row[target] = label
        row["is_label_mature"] = label or whole_seconds_between(event.derived_tstamp, data_end) > horizon
        out[event.event_id] = row
    return out


def values_equal(actual: Any, expected: Any, rel: float = 1e-9, abs_: float = 1e-9) -> bool:
    """Equality for comparing built and brute-force values: nulls equal nulls (NaN is a null),
    floats within a tolerance, integers and booleans exactly."""
    def is_null(v: Any) -> bool:
        return v is None or (isinstance(v, float) and math.isnan(v))

    if is_null(actual) or is_null(expected):
        return is_null(actual) and is_null(expected)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return bool(actual) == bool(expected) and type(actual) is type(expected)
    if isinstance(expected, float) or isinstance(actual, float):
        return math.isclose(float(actual), float(expected), rel_tol=rel, abs_tol=abs_)
    return actual == expected


def plain_value(value: Any) -> Any:
    """A value of a DuckDB data frame as plain Python (NaN and NaT: None)."""
    import pandas as pd

    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def rows_by_event_id(frame: Any) -> dict[str, dict[str, Any]]:
    """The rows of a data frame of final_training keyed by event_id, values as plain Python."""
    out = {}
    for record in frame.to_dict("records"):
        event_id = record.pop("event_id")
        out[event_id] = {k: plain_value(v) for k, v in record.items()}
    return out
