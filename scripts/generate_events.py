#!/usr/bin/env python3
"""Deterministic, seeded generator of realistic synthetic Snowplow web events.

The output mimics a Snowflake export of ``atomic.events`` restricted to the
columns the prospect-scoring pipeline reads (UPPER-CASE names, in this order)::

    APP_ID, PLATFORM, DERIVED_TSTAMP, EVENT, EVENT_ID, NAME_TRACKER,
    DOMAIN_USERID, DOMAIN_SESSIONIDX, PAGE_URL, DOMAIN_SESSIONID,
    EVENT_VENDOR, EVENT_NAME, EVENT_FORMAT, EVENT_VERSION,
    PAGE_URLPATH, PAGE_TITLE, PAGE_REFERRER, REFR_MEDIUM, REFR_SOURCE,
    MKT_MEDIUM, MKT_SOURCE, MKT_CAMPAIGN, GEO_COUNTRY, BR_FAMILY, OS_FAMILY,
    DVCE_ISMOBILE

(docs/sample_data.md describes each column and the behavioural model.)

Behavioural model (everything vectorised with numpy, no per-event Python loop):

* Visitors: about ``n_events / 6.75`` human visitors whose event counts follow
  a heavy-tailed lognormal (median 4, long tail to hundreds), adjusted so the
  output holds exactly ``n_events`` rows.  From 400,000 events on, a few
  bot-like visitors (one per 400k events) crawl the site with 10,000+ page views
  packed into less than a day, seconds apart; bots never convert.
* Sessions: each event after a visitor's first starts a new session with
  probability 0.2 (median 2, mean about 3 events per session).  Events in a session are
  seconds to minutes apart (< 25 min); sessions of a visitor are at least 31
  minutes apart and spread over days within the period, so a 30-minute
  inactivity rule re-derives them.  DOMAIN_SESSIONIDX counts 1, 2, 3... per
  visitor.
* Pages: B2B marketing site ``https://www.example.com`` (home, pricing,
  customers and case studies, product, blog, docs, contact...).  Each visitor
  has a latent buying intent (Beta-distributed share of pricing/customers
  page views).
* Traffic sources: each session has a channel (direct, organic or paid search,
  organic or paid social, email, referral): the visitor's first touch, then
  mostly direct or the same channel again.  The landing page view carries the
  channel's referrer (PAGE_REFERRER, REFR_MEDIUM, REFR_SOURCE, as Snowplow's
  referer parser fills them) and, for campaigns, UTM parameters in PAGE_URL
  (MKT_MEDIUM, MKT_SOURCE, MKT_CAMPAIGN); later page views have the previous
  page as referrer (REFR_MEDIUM 'internal').  Each visitor has a country
  (GEO_COUNTRY, sometimes null) and a device (BR_FAMILY, OS_FAMILY,
  DVCE_ISMOBILE); every event carries the fields of the page it happened on.
* Conversion: a visitor converts with probability ``sigmoid(-0.8 + 5 *
  (intent - 1/3) + channel + country + device)`` (first-touch channel: referral
  and paid search up, social down; mobile down).  A converter submits a form
  (``submit_form``) in the session where their interest peaks: after the page
  view with the highest score = pricing/customers views so far in that session
  + the previous session's pricing views + the session channel's effect + noise.
  So recent behaviour (this and the previous session, the traffic source) tells
  when a conversion comes, lifetime counts mostly who.  The submission follows
  that page view by 15 s to 20 min and carries its URL; visitors keep browsing
  afterwards and about 10 % of converters submit again later.
* Noise: a share of ``unstruct`` events that the pipeline must filter out by
  EVENT_NAME (``link_click``, ``web_vitals``, ``application_error``), carrying
  the URL of the page they happened on; and sessions of other apps
  (APP_ID ``docs-site`` on docs.example.com, ``mobile-app`` on app.example.com).
* Dirt, each an exact share of the rows (0 disables it): duplicated deliveries
  (same EVENT_ID and payload, DERIVED_TSTAMP a few ms to seconds later), null
  DOMAIN_USERID, null DERIVED_TSTAMP.

Rows are ordered by event time (as a time-partitioned export would be).  The
result depends only on the arguments: the same seed gives byte-identical
files, whatever the wall clock.

Examples::

    python scripts/generate_events.py --output seeds/snowplow_sample_events.csv
    python scripts/generate_events.py --events 10000000 --output bench_data/events_10m.parquet
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import itertools
import logging
import os
import sys
import time
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

LOG = logging.getLogger("generate_events")

COLUMNS: tuple[str, ...] = (
    "APP_ID",
    "PLATFORM",
    "DERIVED_TSTAMP",
    "EVENT",
    "EVENT_ID",
    "NAME_TRACKER",
    "DOMAIN_USERID",
    "DOMAIN_SESSIONIDX",
    "PAGE_URL",
    "DOMAIN_SESSIONID",
    "EVENT_VENDOR",
    "EVENT_NAME",
    "EVENT_FORMAT",
    "EVENT_VERSION",
    "PAGE_URLPATH",
    "PAGE_TITLE",
    "PAGE_REFERRER",
    "REFR_MEDIUM",
    "REFR_SOURCE",
    "MKT_MEDIUM",
    "MKT_SOURCE",
    "MKT_CAMPAIGN",
    "GEO_COUNTRY",
    "BR_FAMILY",
    "OS_FAMILY",
    "DVCE_ISMOBILE",
)

#: Plain (non-dictionary) Arrow schema of the generated events, as written to files.
SCHEMA = pa.schema(
    [
        ("APP_ID", pa.string()),
        ("PLATFORM", pa.string()),
        ("DERIVED_TSTAMP", pa.timestamp("ms")),
        ("EVENT", pa.string()),
        ("EVENT_ID", pa.string()),
        ("NAME_TRACKER", pa.string()),
        ("DOMAIN_USERID", pa.string()),
        ("DOMAIN_SESSIONIDX", pa.int64()),
        ("PAGE_URL", pa.string()),
        ("DOMAIN_SESSIONID", pa.string()),
        ("EVENT_VENDOR", pa.string()),
        ("EVENT_NAME", pa.string()),
        ("EVENT_FORMAT", pa.string()),
        ("EVENT_VERSION", pa.string()),
        ("PAGE_URLPATH", pa.string()),
        ("PAGE_TITLE", pa.string()),
        ("PAGE_REFERRER", pa.string()),
        ("REFR_MEDIUM", pa.string()),
        ("REFR_SOURCE", pa.string()),
        ("MKT_MEDIUM", pa.string()),
        ("MKT_SOURCE", pa.string()),
        ("MKT_CAMPAIGN", pa.string()),
        ("GEO_COUNTRY", pa.string()),
        ("BR_FAMILY", pa.string()),
        ("OS_FAMILY", pa.string()),
        ("DVCE_ISMOBILE", pa.bool_()),
    ]
)

# ---------------------------------------------------------------- defaults
DEFAULT_EVENTS = 24_000
DEFAULT_SEED = 42
DEFAULT_START = "2024-03-01"
DEFAULT_DAYS = 21
DEFAULT_DUPLICATE_RATE = 0.005
DEFAULT_NULL_USER_RATE = 0.01
DEFAULT_NULL_TSTAMP_RATE = 0.0005
DEFAULT_OTHER_APP_RATE = 0.03
DEFAULT_NOISE_EVENT_RATE = 0.03
DEFAULT_ROW_GROUP_SIZE = 1_000_000
EVENTS_PER_BOT = 400_000  # one bot-like visitor per this many events (0 below it)
OUTPUT_SUFFIXES = (".csv", ".csv.gz", ".parquet")
LARGE_DICTIONARY = 1 << 16  # dictionaries above this size are decoded before writing

# ---------------------------------------------------------------- model constants
MEAN_EVENTS_PER_VISITOR = 6.75
EVENTS_LOGNORMAL_SIGMA = 1.1
NEW_SESSION_PROB = 0.2  # per event after a visitor's first (geometric, mean 5 events/session)
BOT_NEW_SESSION_PROB = 1 / 2500
INTENT_BETA = (1.5, 3.0)  # per-visitor share of pricing/customers page views
PRICING_SHARE_OF_INTENT = 0.6  # rest goes to customers pages
# Conversion: a visitor converts with probability sigmoid(logit), the logit adding up their
# latent intent (which also drives their share of pricing/customers page views), their first
# touch's channel and their context (country, device).  A converter submits in the session
# where their interest peaks: after the website page view (followed by another in its session)
# with the highest score = pricing/customers views so far in that session + its channel's effect
# + the previous session's pricing views + noise.  So recent behaviour (this and the previous
# session, the traffic source) tells when a conversion comes; lifetime totals only tell who.
CONVERSION_INTERCEPT = -0.8
CONVERSION_INTENT = 5.0  # times (intent - its mean 1/3)
CONVERSION_MOBILE = -0.8
SUBMIT_SESSION_INTEREST = 1.0  # per pricing/customers view so far in the session (capped at 5)
SUBMIT_PREVIOUS_SESSION_PRICING = 0.5  # per pricing view of the previous session (capped at 4)
SUBMIT_CONTACT_PAGE = 0.8
SUBMIT_SESSION_CHANNEL = 0.7  # times the session channel's effect
SUBMIT_NOISE = 0.6  # times a uniform draw
REPEAT_SUBMIT_PROB = 0.10
NOISE_NAME_WEIGHTS = (0.5, 0.35, 0.15)  # link_click, web_vitals, application_error
OTHER_APP_SPLIT = 0.6  # share of other-app sessions that are docs-site (rest mobile-app)

MS_SECOND = 1_000
MS_MINUTE = 60 * MS_SECOND
MS_DAY = 24 * 60 * MS_MINUTE
HOUR_MS = 60 * MS_MINUTE
#: Relative page-view traffic per UTC hour on weekdays (EU morning + US afternoon).
HOURLY_TRAFFIC = (0.25, 0.2, 0.18, 0.18, 0.2, 0.3, 0.45, 0.65, 0.85, 1.0, 1.05, 1.05,
                  1.0, 1.1, 1.2, 1.25, 1.2, 1.05, 0.85, 0.7, 0.55, 0.45, 0.35, 0.3)
WEEKEND_TRAFFIC = 0.35
MIN_SESSION_GAP_MS = 31 * MS_MINUTE  # > 30-minute Snowplow session timeout
HUMAN_SESSION_GAP_MEAN_MS = 2 * MS_DAY
BOT_SESSION_GAP_MEAN_MS = 10 * MS_MINUTE

# Event type codes (index into EVENT_NAMES).
PV, SUBMIT, LINK_CLICK, WEB_VITALS, APP_ERROR = 0, 1, 2, 3, 4
EVENT_NAMES = ("page_view", "submit_form", "link_click", "web_vitals", "application_error")
APP_IDS = ("website", "docs-site", "mobile-app")
TRACKERS = ("sp", "docs", "sp-mobile")
VENDOR = "com.snowplowanalytics.snowplow"

# ---------------------------------------------------------------- site catalogue
WEBSITE = "https://www.example.com"
PRICING_PAGES = [("/pricing", 10), ("/pricing?plan=team", 3), ("/pricing?plan=enterprise", 2)]
CUSTOMERS_PAGES = [
    ("/customers", 6),
    ("/customers/acme-case-study", 3),
    ("/customers/globex-case-study", 2),
    ("/customers/initech-case-study", 2),
    ("/customers/umbrella-case-study", 1),
    ("/customers/hooli-case-study", 1),
]
OTHER_PAGES = [
    ("/", 30),
    ("/product", 8),
    ("/product/analytics", 4),
    ("/product/workflows", 3),
    ("/product/integrations", 3),
    ("/product/security", 2),
    ("/product/api", 2),
    ("/integrations/salesforce", 1),
    ("/integrations/hubspot", 1),
    ("/integrations/slack", 1),
    ("/blog", 6),
    ("/blog/what-is-product-led-growth", 3),
    ("/blog/b2b-attribution-guide", 3),
    ("/blog/reducing-churn-with-usage-data", 2),
    ("/blog/how-we-built-our-event-pipeline", 2),
    ("/blog/sales-and-marketing-alignment", 2),
    ("/blog/2024-benchmark-report", 2),
    ("/blog/lead-scoring-101", 2),
    ("/blog/release-notes-march-2024", 1),
    ("/blog/customer-onboarding-checklist", 1),
    ("/blog/data-privacy-for-saas", 1),
    ("/docs", 4),
    ("/docs/getting-started", 3),
    ("/docs/installation", 2),
    ("/docs/api/authentication", 2),
    ("/docs/api/events", 1),
    ("/docs/api/webhooks", 1),
    ("/docs/sdk/javascript", 1),
    ("/docs/sdk/python", 1),
    ("/docs/faq", 1),
    ("/about", 2),
    ("/careers", 2),
    ("/security", 1),
    ("/privacy", 1),
    ("/contact", 4),
]
#: (utm_source, utm_medium, utm_campaign) of the campaign links; None = parameter absent.
UTMS: tuple[tuple[str, str, str | None], ...] = (
    ("google", "cpc", "brand"),
    ("google", "cpc", "competitors"),
    ("linkedin", "paid_social", "q1-abm"),
    ("linkedin", "paid_social", "webinar-march"),
    ("newsletter", "email", "march-digest"),
    ("g2", "referral", None),
)
UTM_SUFFIXES = tuple(
    "&".join(f"utm_{key}={value}" for key, value in zip(("source", "medium", "campaign"), utm) if value)
    for utm in UTMS
)
#: Acquisition channels: conversion effect of the visitor's first touch (the session's own
#: channel scores SUBMIT_SESSION_CHANNEL times it) and the share of first visits.
CHANNELS: tuple[tuple[str, float, float], ...] = (
    ("direct", 0.4, 0.22),
    ("organic_search", 0.0, 0.30),
    ("paid_search", 1.4, 0.12),
    ("organic_social", -1.4, 0.09),
    ("paid_social", -0.7, 0.09),
    ("email", 0.9, 0.06),
    ("referral", 1.6, 0.12),
)
RETURN_DIRECT_PROB = 0.5  # a later session comes direct...
RETURN_SAME_CHANNEL_PROB = 0.3  # ...or through the first touch's channel, else a fresh draw
#: Landing variants per channel: (channel, refr_medium, refr_source, page_referrer, UTMS index
#: or -1, weight within the channel), as Snowplow's referer-parser and campaign enrichments fill
#: them (an unknown external site gets refr_medium 'unknown'; a mail client no referrer).
LANDING_VARIANTS: tuple[tuple[int, str | None, str | None, str | None, int, float], ...] = (
    (0, None, None, None, -1, 1.0),
    (1, "search", "Google", "https://www.google.com/", -1, 8.0),
    (1, "search", "Bing", "https://www.bing.com/", -1, 1.5),
    (1, "search", "DuckDuckGo", "https://duckduckgo.com/", -1, 0.5),
    (2, "search", "Google", "https://www.google.com/", 0, 3.0),
    (2, "search", "Google", "https://www.google.com/", 1, 1.0),
    (3, "social", "LinkedIn", "https://www.linkedin.com/", -1, 3.0),
    (3, "social", "Twitter", "https://t.co/", -1, 1.5),
    (3, "social", "Facebook", "https://www.facebook.com/", -1, 0.5),
    (4, "social", "LinkedIn", "https://www.linkedin.com/", 2, 2.0),
    (4, "social", "LinkedIn", "https://www.linkedin.com/", 3, 1.0),
    (5, "email", "Gmail", "https://mail.google.com/", 4, 2.0),
    (5, "email", "Outlook.com", "https://outlook.live.com/", 4, 1.0),
    (5, None, None, None, 4, 1.0),
    (6, "unknown", None, "https://www.g2.com/products/example/reviews", 5, 2.0),
    (6, "unknown", None, "https://www.capterra.com/p/12345/example/", -1, 1.0),
    (6, "unknown", None, "https://news.ycombinator.com/", -1, 1.0),
)
INTERNAL_MEDIUM = "internal"  # refr_medium of a page view whose referrer is the site itself
#: Visitor countries (ISO 3166-1 alpha-2, as the IP lookups enrichment writes geo_country):
#: (code, weight, conversion effect); GEO_NULL_PROB of visitors have no geo lookup.
COUNTRIES: tuple[tuple[str, float, float], ...] = (
    ("US", 35, 0.4), ("GB", 12, 0.2), ("DE", 10, 0.0), ("FR", 7, -0.2), ("CA", 6, 0.2),
    ("NL", 5, 0.0), ("IN", 8, -1.2), ("AU", 4, 0.0), ("BR", 4, -0.8), ("ES", 3, -0.4),
    ("SE", 3, 0.0), ("JP", 3, -0.6),
)
GEO_NULL_PROB = 0.015
#: Visitor devices: (os_family, br_family, dvce_ismobile, weight).
DEVICES: tuple[tuple[str, str, bool, float], ...] = (
    ("Windows", "Chrome", False, 30), ("Mac OS X", "Chrome", False, 18),
    ("Mac OS X", "Safari", False, 10), ("Windows", "Edge", False, 10),
    ("Windows", "Firefox", False, 5), ("Linux", "Firefox", False, 3),
    ("iOS", "Mobile Safari", True, 12), ("Android", "Chrome Mobile", True, 12),
)
BOT_COUNTRY, BOT_DEVICE = 0, 5  # bots crawl from a US data centre, Linux/Firefox
DOCS_SITE_PAGES = [
    ("https://docs.example.com/", 5),
    ("https://docs.example.com/getting-started", 4),
    ("https://docs.example.com/api/reference", 3),
    ("https://docs.example.com/api/events", 2),
    ("https://docs.example.com/sdk/javascript", 2),
    ("https://docs.example.com/sdk/python", 2),
    ("https://docs.example.com/changelog", 1),
]
MOBILE_APP_PAGES = [
    ("https://app.example.com/home", 5),
    ("https://app.example.com/dashboard", 4),
    ("https://app.example.com/reports", 2),
    ("https://app.example.com/settings", 1),
]


class _Catalogue:
    """URL dictionary (all distinct PAGE_URL values) plus index ranges per page kind."""

    def __init__(self) -> None:
        urls: list[str] = []
        self.pricing = self._add(urls, [(WEBSITE + p, w) for p, w in PRICING_PAGES])
        self.customers = self._add(urls, [(WEBSITE + p, w) for p, w in CUSTOMERS_PAGES])
        self.other = self._add(urls, [(WEBSITE + p, w) for p, w in OTHER_PAGES])
        self.n_website = len(urls)
        # UTM variant of website page i with suffix j lives at utm_base + i * len(UTM) + j.
        self.utm_base = len(urls)
        for url in urls[: self.n_website]:
            sep = "&" if "?" in url else "?"
            urls.extend(url + sep + s for s in UTM_SUFFIXES)
        self.docs = self._add(urls, DOCS_SITE_PAGES)
        self.mobile = self._add(urls, MOBILE_APP_PAGES)
        self.urls = urls
        is_pricing = np.zeros(len(urls), dtype=bool)
        is_customers = np.zeros(len(urls), dtype=bool)
        for j, url in enumerate(urls):
            path = url.split("?", 1)[0]
            is_pricing[j] = path.startswith(WEBSITE + "/pricing")
            is_customers[j] = path.startswith(WEBSITE + "/customers")
        self.is_pricing = is_pricing
        self.is_customers = is_customers
        self.is_contact = np.array([u.split("?", 1)[0] == WEBSITE + "/contact" for u in urls])
        # PAGE_URLPATH / PAGE_TITLE of each URL (one title per path) and its campaign.
        paths: list[str] = []
        path_of = np.empty(len(urls), dtype=np.int16)
        utm_of = np.full(len(urls), -1, dtype=np.int8)
        for j, url in enumerate(urls):
            path = "/" + url.split("?", 1)[0].split("://", 1)[1].partition("/")[2]
            if path not in paths:
                paths.append(path)
            path_of[j] = paths.index(path)
            query = url.partition("?")[2]
            for k, suffix in enumerate(UTM_SUFFIXES):
                if query.endswith(suffix):
                    utm_of[j] = k
        self.paths, self.path_of, self.utm_of = paths, path_of, utm_of
        titles = [_title(url) for url in urls]
        self.titles = sorted(set(titles))  # a dictionary of distinct values (stable Parquet bytes)
        self.title_of = np.asarray([self.titles.index(t) for t in titles], dtype=np.int16)

    @staticmethod
    def _add(urls: list[str], pages: list[tuple[str, int]]) -> tuple[int, np.ndarray]:
        """Append pages to ``urls``; return (first index, cumulative weights)."""
        first = len(urls)
        urls.extend(u for u, _ in pages)
        return first, np.cumsum([w for _, w in pages], dtype=np.float64)

    @staticmethod
    def pick(rng: np.random.Generator, group: tuple[int, np.ndarray], n: int) -> np.ndarray:
        """Draw ``n`` URL indices from a weighted page group."""
        first, cum = group
        return (first + np.searchsorted(cum, rng.random(n) * cum[-1], side="right")).astype(np.int32)


def _title(url: str) -> str:
    """The page title of a URL, e.g. '.../customers/acme-case-study' -> 'Acme Case Study | Example'."""
    host, _, rest = url.split("?", 1)[0].split("://", 1)[1].partition("/")
    site = {"docs.example.com": "Example Docs", "app.example.com": "Example App"}.get(host, "Example")
    leaf = rest.rstrip("/").rsplit("/", 1)[-1]
    if not leaf:
        return f"{site} | Customer analytics for B2B teams"
    words = leaf.replace("-", " ").title().replace("Api", "API").replace("Sdk", "SDK")
    return f"{words} | {site}"


CATALOGUE = _Catalogue()


# ---------------------------------------------------------------- helpers
# Hex text of 16-bit values: _HEX4[v] packs the 4 ASCII hex digits of v's two
# little-endian bytes (low byte first) into a little-endian uint32.
_HEX2 = np.array([ord(f"{b:02x}"[0]) | ord(f"{b:02x}"[1]) << 8 for b in range(256)], dtype="<u4")
_HEX4 = (_HEX2[np.arange(65536) & 0xFF] | (_HEX2[np.arange(65536) >> 8] << 16)).astype("<u4")
_DASH = ord("-")


def _uuid_raw(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` random version-4 UUIDs as an (n, 8) little-endian uint16 array (16 bytes each)."""
    raw = np.frombuffer(rng.bytes(16 * n), dtype="<u2").reshape(n, 8).copy()
    raw[:, 3] = (raw[:, 3] & 0xFF0F) | 0x0040  # byte 6: version 4
    raw[:, 4] = (raw[:, 4] & 0xFF3F) | 0x0080  # byte 8: RFC 4122 variant
    return raw


def _uuid_text(raw: np.ndarray) -> np.ndarray:
    """Format (n, 8) uint16 UUIDs as an (n, 36) uint8 array of canonical text.

    Works on 32-bit words: 8 words of hex digits become the 9 words of
    ``xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`` with a few shifts.
    """
    n = raw.shape[0]
    h = _HEX4[raw]  # (n, 8): hex digits 4k..4k+3 in word k
    out = np.empty((n, 9), dtype="<u4")
    out[:, 0:2] = h[:, 0:2]
    out[:, 2] = _DASH | (h[:, 2] << 8)
    out[:, 3] = (h[:, 2] >> 24) | (_DASH << 8) | ((h[:, 3] & 0xFFFF) << 16)
    out[:, 4] = (h[:, 3] >> 16) | (_DASH << 16) | ((h[:, 4] & 0xFF) << 24)
    out[:, 5] = (h[:, 4] >> 8) | (_DASH << 24)
    out[:, 6:9] = h[:, 5:8]
    return out.view(np.uint8)


def _uuid_bytes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Return ``n`` random version-4 UUIDs as an (n, 36) uint8 array of ASCII text."""
    return _uuid_text(_uuid_raw(rng, n))


def _fixed_width_strings(buf: np.ndarray, chunk_rows: int = 1 << 22) -> pa.ChunkedArray:
    """Wrap an (n, w) uint8 array of ASCII rows as an Arrow string column (zero parsing)."""
    n, width = buf.shape
    chunks = []
    for lo in range(0, max(n, 1), chunk_rows):
        part = np.ascontiguousarray(buf[lo : lo + chunk_rows])
        m = part.shape[0]
        offsets = np.arange(0, (m + 1) * width, width, dtype=np.int32)
        chunks.append(
            pa.Array.from_buffers(pa.string(), m, [None, pa.py_buffer(offsets), pa.py_buffer(part)])
        )
    return pa.chunked_array(chunks, type=pa.string())


def _masked(values: np.ndarray, type_: pa.DataType, null: np.ndarray | None = None) -> pa.Array:
    """Zero-copy Arrow array of fixed-width ``values`` with nulls where ``null`` is True."""
    values = np.ascontiguousarray(values)
    validity, null_count = None, 0
    if null is not None and null.any():
        validity = pa.py_buffer(np.packbits(~null, bitorder="little"))
        null_count = int(null.sum())
    return pa.Array.from_buffers(type_, len(values), [validity, pa.py_buffer(values)],
                                 null_count=null_count)


_INDEX_TYPES = {np.dtype(np.int8): pa.int8(), np.dtype(np.int16): pa.int16(),
                np.dtype(np.int32): pa.int32(), np.dtype(np.int64): pa.int64()}


def _dictionary(indices: np.ndarray, values: pa.Array | pa.ChunkedArray | Sequence[str],
                mask: np.ndarray | None = None) -> pa.DictionaryArray:
    """Build a dictionary-encoded string column from integer codes (optionally masked to null)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    elif not isinstance(values, pa.Array):
        values = pa.array(list(values), type=pa.string())
    codes = _masked(indices, _INDEX_TYPES[np.dtype(indices.dtype)], mask)
    return pa.DictionaryArray.from_arrays(codes, values)


def _group_start(group_of_row: np.ndarray, n_groups: int) -> np.ndarray:
    """First row index of each group, for rows sorted (contiguous) by group."""
    counts = np.bincount(group_of_row, minlength=n_groups)
    return (np.cumsum(counts) - counts).astype(np.int64)


def _lognormal_ms(rng: np.random.Generator, n: int, median_ms: float, sigma: float,
                  lo_ms: float, hi_ms: float) -> np.ndarray:
    """Lognormal durations in whole milliseconds, clipped to [lo_ms, hi_ms]."""
    return np.clip(rng.lognormal(np.log(median_ms), sigma, n), lo_ms, hi_ms).astype(np.int64)


def _fix_total(counts: np.ndarray, total: int, rng: np.random.Generator) -> np.ndarray:
    """Adjust per-visitor event counts (each >= 1) so they sum exactly to ``total``.

    Events are added or removed in proportion to the current counts, which
    preserves the shape of the heavy tail.
    """
    counts = counts.astype(np.int64)
    diff = total - int(counts.sum())
    while diff != 0:
        if diff > 0:
            p = counts / counts.sum()
            counts += np.bincount(rng.choice(len(counts), size=diff, p=p), minlength=len(counts))
        else:
            room = counts - 1
            take = np.bincount(rng.choice(len(counts), size=-diff, p=room / room.sum()),
                               minlength=len(counts))
            counts -= np.minimum(take, room)
        diff = total - int(counts.sum())
    return counts


def _choose(rng: np.random.Generator, population: np.ndarray, k: int) -> np.ndarray:
    """Choose ``k`` distinct elements of ``population`` (sorted result)."""
    k = min(k, len(population))
    if k <= 0:
        return population[:0]
    return np.sort(rng.choice(population, size=k, replace=False))


def _parse_start(start: str) -> np.datetime64:
    """Parse an ISO date/datetime (naive, UTC-like) into a millisecond datetime64."""
    try:
        parsed = dt.datetime.fromisoformat(start)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"start must be an ISO date like 2024-03-01, got {start!r}") from exc
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return np.datetime64(parsed.replace(microsecond=parsed.microsecond // 1000 * 1000), "ms")


class _Stopwatch:
    """Logs (at DEBUG level) the time spent in each stage of a computation."""

    def __init__(self, what: str) -> None:
        self.what, self.last = what, time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        LOG.debug("%s: %-24s %.2f s", self.what, stage, now - self.last)
        self.last = now


def _check_rate(name: str, value: float, upper: float = 1.0) -> None:
    if not (0.0 <= value < upper) or value != value:
        raise ValueError(f"{name} must be in [0, {upper}), got {value}")


# ---------------------------------------------------------------- generator
def generate_events(
    n_events: int,
    seed: int = DEFAULT_SEED,
    start: str = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    duplicate_rate: float = DEFAULT_DUPLICATE_RATE,
    null_user_rate: float = DEFAULT_NULL_USER_RATE,
    null_tstamp_rate: float = DEFAULT_NULL_TSTAMP_RATE,
    other_app_rate: float = DEFAULT_OTHER_APP_RATE,
    noise_event_rate: float = DEFAULT_NOISE_EVENT_RATE,
    n_visitors: int | None = None,
    n_bots: int | None = None,
    dictionary: bool = True,
) -> pa.Table:
    """Generate ``n_events`` synthetic Snowplow events (exactly that many rows).

    Args:
        n_events: number of rows, duplicates included.
        seed: random seed; the result is a pure function of all arguments.
        start: first day of the period (ISO date, naive UTC), e.g. ``"2024-03-01"``.
        days: length of the period in days.
        duplicate_rate: share of rows that are re-deliveries of another row
            (same EVENT_ID and payload, DERIVED_TSTAMP 1 ms to 10 s later).
        null_user_rate: share of events with a null DOMAIN_USERID.
        null_tstamp_rate: share of events with a null DERIVED_TSTAMP.
        other_app_rate: share of events from other apps (APP_ID ``docs-site`` /
            ``mobile-app``), as whole human sessions (so within one session).
        noise_event_rate: share of events that are ``link_click``,
            ``web_vitals`` or ``application_error`` (EVENT ``unstruct``).
        n_visitors: number of human visitors; default ``n_events / 6.75``.
        n_bots: number of bot-like visitors (10,000+ events each, within about
            a day); default one per 400,000 events (none for small samples).
        dictionary: return string columns dictionary-encoded (except EVENT_ID),
            which keeps 10M events around 1 GB in memory.  ``False`` returns
            plain ``string`` columns (the schema :data:`SCHEMA` used in files).

    Returns:
        A ``pyarrow.Table`` with columns :data:`COLUMNS`, ordered by event time.

    Raises:
        ValueError: on negative counts, out-of-range rates or a bad start date.
    """
    t0 = time.perf_counter()
    if isinstance(n_events, bool) or int(n_events) != n_events or n_events < 0:
        raise ValueError(f"n_events must be a non-negative integer, got {n_events}")
    n_events = int(n_events)
    if int(days) != days or days < 1:
        raise ValueError(f"days must be a positive integer, got {days}")
    if n_visitors is not None and (int(n_visitors) != n_visitors or n_visitors < 1):
        raise ValueError(f"n_visitors must be a positive integer, got {n_visitors}")
    if n_bots is not None and (int(n_bots) != n_bots or n_bots < 0):
        raise ValueError(f"n_bots must be a non-negative integer, got {n_bots}")
    _check_rate("duplicate_rate", duplicate_rate, 0.5)
    _check_rate("null_user_rate", null_user_rate)
    _check_rate("null_tstamp_rate", null_tstamp_rate)
    _check_rate("other_app_rate", other_app_rate)
    _check_rate("noise_event_rate", noise_event_rate, 0.5)
    start_ms = int(_parse_start(start).astype(np.int64))
    period_ms = int(days) * MS_DAY
    if n_events == 0:
        table = SCHEMA.empty_table()
        return _dictionary_encode(table) if dictionary else table

    lap = _Stopwatch("generate_events")
    rng_visitors, rng_events, rng_time, rng_ids, rng_dirt = (
        np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(5)
    )
    cat = CATALOGUE

    # ---- visitors and their event counts -------------------------------------
    n_dup = int(round(n_events * duplicate_rate))
    n_base = n_events - n_dup  # distinct events
    if n_bots is None:
        n_bots = n_events // EVENTS_PER_BOT
    n_bots = min(int(n_bots), n_base)
    bot_k = np.clip(np.round(rng_visitors.lognormal(np.log(18_000), 0.5, n_bots)), 10_000, 80_000)
    budget = max(n_base // 2, n_bots)  # never let bots dominate a small sample
    if bot_k.sum() > budget:
        bot_k = np.maximum(np.floor(bot_k * budget / bot_k.sum()), 1)
        if bot_k.sum() > n_base:
            bot_k = np.ones(n_bots)
    bot_k = bot_k.astype(np.int64)
    n_human_events = n_base - int(bot_k.sum())
    if n_human_events > 0:
        n_humans = n_visitors or max(1, int(round(n_human_events / MEAN_EVENTS_PER_VISITOR)))
        n_humans = min(int(n_humans), n_human_events)
        mean_extra = max(n_human_events / n_humans - 0.5, 1e-9)
        mu = np.log(mean_extra) - EVENTS_LOGNORMAL_SIGMA**2 / 2
        human_k = 1 + np.floor(rng_visitors.lognormal(mu, EVENTS_LOGNORMAL_SIGMA, n_humans))
        human_k = _fix_total(human_k, n_human_events, rng_visitors)
    else:
        n_humans, human_k = 0, np.zeros(0, dtype=np.int64)
    k = np.concatenate([human_k, bot_k]).astype(np.int64)
    n_vis = len(k)
    is_bot_v = np.arange(n_vis) >= n_humans
    intent_v = rng_visitors.beta(*INTENT_BETA, n_vis)
    country_w = np.cumsum([w for _, w, _ in COUNTRIES], dtype=np.float64)
    country_v = np.searchsorted(country_w, rng_visitors.random(n_vis) * country_w[-1],
                                side="right").astype(np.int8)
    country_v[is_bot_v] = BOT_COUNTRY
    no_geo_v = (rng_visitors.random(n_vis) < GEO_NULL_PROB) & ~is_bot_v
    device_w = np.cumsum([w for *_, w in DEVICES], dtype=np.float64)
    device_v = np.searchsorted(device_w, rng_visitors.random(n_vis) * device_w[-1],
                               side="right").astype(np.int8)
    device_v[is_bot_v] = BOT_DEVICE
    lap("visitors")

    # ---- events -> visitors, sessions ------------------------------------------
    N = n_base
    ev_v = np.repeat(np.arange(n_vis, dtype=np.int32), k)
    v_first = (np.cumsum(k) - k).astype(np.int64)
    ev_bot = is_bot_v[ev_v]
    new_sess = rng_events.random(N) < np.where(ev_bot, BOT_NEW_SESSION_PROB, NEW_SESSION_PROB)
    new_sess[v_first[k > 0]] = True
    sess_of = (np.cumsum(new_sess) - 1).astype(np.int32)
    n_sess = int(new_sess.sum())
    s_first = np.flatnonzero(new_sess)
    s_v = ev_v[s_first]
    s_idx = (np.arange(n_sess) - sess_of[v_first[s_v]] + 1).astype(np.int64)  # DOMAIN_SESSIONIDX
    s_app = np.zeros(n_sess, dtype=np.int8)
    # Other apps: whole (human) sessions, drawn in random order until they hold
    # other_app_rate of the events.
    s_size = np.diff(np.append(s_first, N))
    pool = rng_events.permutation(np.flatnonzero(~is_bot_v[s_v]))
    target = int(round(other_app_rate * N))
    n_other = int(np.searchsorted(np.cumsum(s_size[pool]), target, side="left"))
    other = np.sort(pool[: n_other + (target > 0 and n_other < len(pool))])
    s_app[other] = np.where(rng_events.random(len(other)) < OTHER_APP_SPLIT, 1, 2)
    del pool, s_size
    ev_app = s_app[sess_of]
    website = ev_app == 0
    # Traffic source of each session: the visitor's first touch, then mostly direct or the
    # same channel again; bots and other apps come direct.
    chan_w = np.cumsum([w for *_, w in CHANNELS], dtype=np.float64)
    fresh = np.searchsorted(chan_w, rng_events.random(n_sess) * chan_w[-1], side="right")
    first_touch_v = np.zeros(n_vis, dtype=np.int64)
    first_touch_v[s_v[s_idx == 1]] = fresh[s_idx == 1]
    u_ret = rng_events.random(n_sess)
    s_chan = np.where(s_idx == 1, fresh,
                      np.where(u_ret < RETURN_DIRECT_PROB, 0,
                               np.where(u_ret < RETURN_DIRECT_PROB + RETURN_SAME_CHANNEL_PROB,
                                        first_touch_v[s_v], fresh)))
    s_chan[is_bot_v[s_v] | (s_app != 0)] = 0
    first_touch_v[is_bot_v] = 0
    s_var = np.zeros(n_sess, dtype=np.int8)
    u_var = rng_events.random(n_sess)
    for c in range(len(CHANNELS)):
        variants = [i for i, v in enumerate(LANDING_VARIANTS) if v[0] == c]
        cum = np.cumsum([LANDING_VARIANTS[i][5] for i in variants], dtype=np.float64)
        mask = s_chan == c
        s_var[mask] = np.asarray(variants)[np.searchsorted(cum, u_var[mask] * cum[-1], side="right")]
    del fresh, u_ret, u_var
    lap("sessions")

    # ---- event types (page view vs noise) ----------------------------------------
    etype = np.zeros(N, dtype=np.int8)
    noise_ok = np.flatnonzero(~new_sess & ~ev_bot)
    noise_idx = _choose(rng_events, noise_ok, int(round(noise_event_rate * N)))
    cum_noise = np.cumsum(NOISE_NAME_WEIGHTS)
    etype[noise_idx] = LINK_CLICK + np.searchsorted(
        cum_noise, rng_events.random(len(noise_idx)) * cum_noise[-1], side="right")
    lap("event types")

    # ---- page URLs (for every slot; non-page-views later take their page's URL) ----
    url = np.empty(N, dtype=np.int32)
    u = rng_events.random(N)
    intent = intent_v[ev_v]
    hum_web = website & ~ev_bot
    pricing_m = hum_web & (u < intent * PRICING_SHARE_OF_INTENT)
    customers_m = hum_web & ~pricing_m & (u < intent)
    other_m = hum_web & ~pricing_m & ~customers_m
    for mask, group in ((pricing_m, cat.pricing), (customers_m, cat.customers), (other_m, cat.other)):
        url[mask] = cat.pick(rng_events, group, int(mask.sum()))
    bot_m = ev_bot
    url[bot_m] = rng_events.integers(0, cat.n_website, int(bot_m.sum()), dtype=np.int32)
    for app, group in ((1, cat.docs), (2, cat.mobile)):
        mask = ev_app == app
        url[mask] = cat.pick(rng_events, group, int(mask.sum()))
    # Campaign landings carry their UTM parameters in the URL.
    landing = np.flatnonzero(new_sess & hum_web)
    utm = np.asarray([v[4] for v in LANDING_VARIANTS], dtype=np.int32)[s_var[sess_of[landing]]]
    landing, utm = landing[utm >= 0], utm[utm >= 0]
    url[landing] = cat.utm_base + url[landing] * len(UTM_SUFFIXES) + utm
    del utm
    del u, intent, pricing_m, customers_m, other_m, bot_m
    lap("page urls")

    # ---- conversions ---------------------------------------------------------------
    pv_web = (etype == PV) & website
    is_pr = pv_web & cat.is_pricing[url]
    is_cu = pv_web & cat.is_customers[url]

    def in_session(x: np.ndarray) -> np.ndarray:
        """Inclusive running sum of ``x`` within each session."""
        cum = np.cumsum(x, dtype=np.int64)
        return cum - (cum[s_first] - x[s_first])[sess_of]

    # A submission replaces the page view right after a website page view of the
    # same session (so counts stay exact); it happens on the earlier page.
    nxt_pv = np.zeros(N, dtype=bool)
    nxt_pv[:-1] = (etype[1:] == PV) & ~new_sess[1:] & website[1:]
    cand = np.flatnonzero(pv_web & nxt_pv & ~ev_bot)
    chan_effect = np.asarray([e for _, e, _ in CHANNELS])
    country_effect = np.append([e for *_, e in COUNTRIES], 0.0)  # last: no geo
    mobile = np.asarray([m for _, _, m, _ in DEVICES])
    logit_v = (CONVERSION_INTERCEPT + CONVERSION_INTENT * (intent_v - 1 / 3)
               + chan_effect[first_touch_v]
               + country_effect[np.where(no_geo_v, len(COUNTRIES), country_v)]
               + CONVERSION_MOBILE * mobile[device_v])
    converter_v = ~is_bot_v & (rng_events.random(n_vis) < 1.0 / (1.0 + np.exp(-logit_v)))
    cand = cand[converter_v[ev_v[cand]]]
    cs = sess_of[cand]
    interest = (is_pr | is_cu).astype(np.int64)
    s_pr = np.bincount(sess_of[is_pr], minlength=n_sess)
    prev_pr = np.where(s_idx[cs] > 1, s_pr[np.maximum(cs - 1, 0)], 0)
    score = (SUBMIT_SESSION_INTEREST * np.minimum(in_session(interest)[cand], 5)
             + SUBMIT_PREVIOUS_SESSION_PRICING * np.minimum(prev_pr, 4)
             + SUBMIT_CONTACT_PAGE * cat.is_contact[url[cand]]
             + SUBMIT_SESSION_CHANNEL * chan_effect[s_chan[cs]]
             + SUBMIT_NOISE * rng_events.random(len(cand)))
    first_submit = _argmax_per_group(cand, ev_v[cand], score) + 1
    etype[first_submit] = SUBMIT
    del cs, interest, s_pr, prev_pr, score, logit_v
    # Some converters come back and submit again later.
    first_at = np.full(n_vis, N, dtype=np.int64)
    first_at[ev_v[first_submit]] = first_submit
    again_v = rng_events.random(n_vis) < REPEAT_SUBMIT_PROB
    cand2 = cand[(cand > first_at[ev_v[cand]]) & again_v[ev_v[cand]]]
    second_submit = _argmax_per_group(cand2, ev_v[cand2], rng_events.random(len(cand2))) + 1
    etype[second_submit] = SUBMIT
    n_converters = len(first_submit)
    del pv_web, is_pr, is_cu, nxt_pv, cand, cand2, first_at

    # Non-page-view events carry the URL of the latest page view (same session,
    # because every session starts with a page view).
    last_pv = np.where(etype == PV, np.arange(N, dtype=np.int64), 0)
    np.maximum.accumulate(last_pv, out=last_pv)
    url = url[last_pv]
    lap("conversions")

    # ---- timestamps ------------------------------------------------------------------
    gap = np.zeros(N, dtype=np.int64)
    for kind, median, sigma, lo, hi in (
        (PV, 45 * MS_SECOND, 1.0, MS_SECOND, 25 * MS_MINUTE),
        (SUBMIT, 100 * MS_SECOND, 0.7, 15 * MS_SECOND, 20 * MS_MINUTE),
        (LINK_CLICK, 4 * MS_SECOND, 0.8, 100, MS_MINUTE),
        (WEB_VITALS, 3 * MS_SECOND, 0.8, 100, MS_MINUTE),
        (APP_ERROR, 5 * MS_SECOND, 1.0, 50, 2 * MS_MINUTE),
    ):
        mask = (etype == kind) & ~ev_bot
        gap[mask] = _lognormal_ms(rng_time, int(mask.sum()), median, sigma, lo, hi)
    gap[ev_bot] = _lognormal_ms(rng_time, int(ev_bot.sum()), 1_200, 0.5, 100, 20 * MS_SECOND)
    gap[new_sess] = 0
    offset = np.cumsum(gap)
    del gap
    offset -= offset[s_first][sess_of]  # ms since session start
    s_last = np.append(s_first[1:], N) - 1
    s_dur = offset[s_last]
    # Session starts, first in "uniform time": the visitor's first visit, then for
    # each later session the previous one's duration + 31 min + an exponential gap;
    # a visitor's activity fits in a random 70-100 % of the period.
    s_is_first = s_idx == 1
    s_is_last = np.append(s_is_first[1:], True)
    s_group = _group_start(s_v, n_vis)[s_v]  # first session of the same visitor
    gap_mean = np.where(is_bot_v[s_v], BOT_SESSION_GAP_MEAN_MS, HUMAN_SESSION_GAP_MEAN_MS)
    e = np.where(s_is_first, 0.0, rng_time.exponential(1.0, n_sess) * gap_mean)
    fixed = np.where(s_is_first, 0, MIN_SESSION_GAP_MS + np.roll(s_dur, 1)).astype(np.int64)
    last_dur_v = np.zeros(n_vis, dtype=np.int64)
    last_dur_v[s_v[s_is_last]] = s_dur[s_is_last]
    fixed_v = np.bincount(s_v, weights=fixed, minlength=n_vis) + last_dur_v
    e_v = np.bincount(s_v, weights=e, minlength=n_vis)
    window_v = period_ms * rng_time.uniform(0.7, 1.0, n_vis)
    room_v = np.maximum(window_v - fixed_v, 0.0)
    scale_v = np.where(e_v > room_v, room_v / np.maximum(e_v, 1.0), 1.0)
    pre = fixed + np.floor(e * scale_v[s_v]).astype(np.int64)
    span_v = np.bincount(s_v, weights=pre, minlength=n_vis) + last_dur_v
    first_visit_v = np.floor(
        rng_time.random(n_vis) * np.maximum(period_ms - span_v, 0.0)).astype(np.int64)
    cpre = np.cumsum(pre)
    s_start = first_visit_v[s_v] + cpre - cpre[s_group]
    del cpre, pre, e, fixed
    # Human sessions then follow a weekly/diurnal traffic curve (time warp), and are
    # pushed later where needed to stay >= 31 min after the previous session ended:
    # start_s = C_s + max_{j<=s}(warped_j - C_j), C = cumulated (duration + 31 min).
    human_s = ~is_bot_v[s_v]
    s_start[human_s] = _diurnal_warp(s_start[human_s], start_ms, period_ms)
    step = s_dur + MIN_SESSION_GAP_MS
    c = np.cumsum(step) - step
    c -= c[s_group]
    a = s_start - c
    big = int(a.max() - a.min()) + 1 if n_sess else 1
    a += s_v.astype(np.int64) * big
    np.maximum.accumulate(a, out=a)
    s_start = start_ms + c + a - s_v.astype(np.int64) * big
    ts = s_start[sess_of] + offset
    del offset, a, c, step, s_start
    lap("timestamps")

    # ---- duplicates, ordering, nulls --------------------------------------------------
    dup_src = _choose(rng_dirt, np.arange(N), n_dup)
    n_dup = len(dup_src)
    dup_delay = _lognormal_ms(rng_dirt, n_dup, 300, 1.5, 1, 10 * MS_SECOND)
    ts_all = np.concatenate([ts, ts[dup_src] + dup_delay])
    src_all = np.concatenate([np.arange(N, dtype=np.int64), dup_src])
    order = _stable_argsort(ts_all)
    rows = src_all[order]  # base event of every output row
    ts_out = ts_all[order]
    is_copy = order >= N  # output rows that are re-deliveries
    del ts_all, src_all, order
    null_user = np.zeros(N, dtype=bool)
    null_user[_choose(rng_dirt, np.arange(N), int(round(null_user_rate * N)))] = True
    null_ts = np.zeros(N, dtype=bool)
    null_ts[_choose(rng_dirt, np.arange(N), int(round(null_tstamp_rate * N)))] = True
    lap("duplicates/order/nulls")

    # ---- columns ------------------------------------------------------------------------
    # EVENT_IDs are drawn in output order; a re-delivery copies its original's id.
    id_raw = _uuid_raw(rng_ids, len(rows))
    if n_dup:
        out_pos = np.empty(N, dtype=np.int64)
        out_pos[rows[~is_copy]] = np.flatnonzero(~is_copy)
        id_raw[is_copy] = id_raw[out_pos[rows[is_copy]]]
        del out_pos
    event_ids = _fixed_width_strings(_uuid_text(id_raw))
    del id_raw
    user_ids = _fixed_width_strings(_uuid_bytes(rng_ids, n_vis))
    session_ids = _fixed_width_strings(_uuid_bytes(rng_ids, n_sess))
    et_out = etype[rows]
    app_out = ev_app[rows]
    n_out = len(rows)
    columns = {
        "APP_ID": _dictionary(app_out, APP_IDS),
        "PLATFORM": _dictionary(np.zeros(n_out, dtype=np.int8), ["web"]),
        "DERIVED_TSTAMP": _masked(ts_out, pa.timestamp("ms"), null_ts[rows]),
        "EVENT": _dictionary((et_out != PV).astype(np.int8), ["page_view", "unstruct"]),
        "EVENT_ID": event_ids,
        "NAME_TRACKER": _dictionary(app_out, TRACKERS),
        "DOMAIN_USERID": _dictionary(ev_v[rows], user_ids, mask=null_user[rows]),
        "DOMAIN_SESSIONIDX": _masked(s_idx[sess_of[rows]], pa.int64()),
        "PAGE_URL": _dictionary(url[rows], cat.urls),
        "DOMAIN_SESSIONID": _dictionary(sess_of[rows], session_ids),
        "EVENT_VENDOR": _dictionary(np.zeros(n_out, dtype=np.int8), [VENDOR]),
        "EVENT_NAME": _dictionary(et_out, EVENT_NAMES),
        "EVENT_FORMAT": _dictionary(np.zeros(n_out, dtype=np.int8), ["jsonschema"]),
        "EVENT_VERSION": _dictionary(np.zeros(n_out, dtype=np.int8), ["1-0-0"]),
        **_context_columns(rows, url, last_pv, new_sess, sess_of, s_var, ev_v, country_v,
                           no_geo_v, device_v),
    }
    table = pa.table(columns)
    lap("columns")
    if not dictionary:
        table = to_plain(table)
    LOG.info(
        "generated %d events (%d distinct + %d duplicates) of %d visitors (%d bots), "
        "%d sessions, %d converters, %d submissions in %.2f s",
        n_out, N, n_dup, n_vis, n_bots, n_sess, n_converters,
        n_converters + len(second_submit), time.perf_counter() - t0,
    )
    return table


def _context_columns(rows: np.ndarray, url: np.ndarray, last_pv: np.ndarray,
                     new_sess: np.ndarray, sess_of: np.ndarray, s_var: np.ndarray,
                     ev_v: np.ndarray, country_v: np.ndarray, no_geo_v: np.ndarray,
                     device_v: np.ndarray) -> dict[str, pa.Array]:
    """Page, referrer, campaign, geo and device columns of the output ``rows`` (base events).

    Every event carries the fields of the page view it happened on (``last_pv``), as the
    JavaScript tracker and the enrichments fill them: on a session's landing page the
    referrer is the external site of its channel, on later pages the previous page
    (``refr_medium`` 'internal'); campaign fields come from the URL's UTM parameters.
    """
    cat = CATALOGUE
    url_r = url[rows]
    pv_r = last_pv[rows]
    landing_r = new_sess[pv_r]
    var_r = s_var[sess_of[rows]]
    # Previous page view of the session (meaningful where the page is not a landing).
    prev_pv_r = last_pv[np.maximum(pv_r - 1, 0)]
    media = ["search", "social", "email", "unknown", INTERNAL_MEDIUM]
    sources = sorted({v[2] for v in LANDING_VARIANTS if v[2]})
    externals = sorted({v[3] for v in LANDING_VARIANTS if v[3]})
    var_medium = np.asarray([media.index(v[1]) if v[1] else -1 for v in LANDING_VARIANTS])
    var_source = np.asarray([sources.index(v[2]) if v[2] else -1 for v in LANDING_VARIANTS])
    var_ref = np.asarray([len(cat.urls) + externals.index(v[3]) if v[3] else -1
                          for v in LANDING_VARIANTS])
    medium = np.where(landing_r, var_medium[var_r], len(media) - 1).astype(np.int8)
    source = np.where(landing_r, var_source[var_r], -1).astype(np.int8)
    referrer = np.where(landing_r, var_ref[var_r], url[prev_pv_r]).astype(np.int32)
    utm = cat.utm_of[url_r]
    utm_values = [sorted({value for u in UTMS if (value := u[k])}) for k in range(3)]
    utm_codes = [np.asarray([vals.index(value) if (value := u[k]) else -1 for u in UTMS] + [-1], dtype=np.int8)
                 for k, vals in enumerate(utm_values)]
    mkt = [codes[utm] for codes in utm_codes]  # index -1 -> the appended -1 (no campaign)
    v_r = ev_v[rows]
    device_r = device_v[v_r]
    oses = sorted({d[0] for d in DEVICES})
    browsers = sorted({d[1] for d in DEVICES})
    os_code = np.asarray([oses.index(d[0]) for d in DEVICES], dtype=np.int8)
    br_code = np.asarray([browsers.index(d[1]) for d in DEVICES], dtype=np.int8)
    mobile = np.asarray([d[2] for d in DEVICES])

    def coded(codes: np.ndarray, values: Sequence[str]) -> pa.DictionaryArray:
        return _dictionary(np.maximum(codes, 0).astype(codes.dtype), values, mask=codes < 0)

    return {
        "PAGE_URLPATH": _dictionary(cat.path_of[url_r], cat.paths),
        "PAGE_TITLE": _dictionary(cat.title_of[url_r], cat.titles),
        "PAGE_REFERRER": coded(referrer, cat.urls + externals),
        "REFR_MEDIUM": coded(medium, media),
        "REFR_SOURCE": coded(source, sources),
        "MKT_MEDIUM": coded(mkt[1], utm_values[1]),
        "MKT_SOURCE": coded(mkt[0], utm_values[0]),
        "MKT_CAMPAIGN": coded(mkt[2], utm_values[2]),
        "GEO_COUNTRY": coded(np.where(no_geo_v[v_r], -1, country_v[v_r]).astype(np.int8),
                             [c for c, _, _ in COUNTRIES]),
        "BR_FAMILY": _dictionary(br_code[device_r], browsers),
        "OS_FAMILY": _dictionary(os_code[device_r], oses),
        "DVCE_ISMOBILE": pa.array(mobile[device_r], type=pa.bool_()),
    }


def _diurnal_warp(offset_ms: np.ndarray, start_ms: int, period_ms: int) -> np.ndarray:
    """Map uniform offsets in [0, period] onto a B2B traffic curve, monotonically.

    Hourly intensity: working-hours peak (UTC, EU + US audience), quiet nights,
    weekends at 35 %.  The inverse cumulative intensity turns uniformly spread
    times into times with that density while keeping their order.
    """
    n_hours = -(-period_ms // HOUR_MS)
    hours = (start_ms // HOUR_MS) + np.arange(n_hours)
    weekday = (hours // 24 + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    weight = np.asarray(HOURLY_TRAFFIC)[hours % 24] * np.where(weekday >= 5, WEEKEND_TRAFFIC, 1.0)
    knots_u = np.concatenate([[0.0], np.cumsum(weight)]) * (period_ms / weight.sum())
    knots_t = np.minimum(np.arange(n_hours + 1, dtype=np.float64) * HOUR_MS, period_ms)
    return np.floor(np.interp(offset_ms, knots_u, knots_t)).astype(np.int64)


def _argmax_per_group(idx: np.ndarray, group: np.ndarray, score: np.ndarray) -> np.ndarray:
    """For each group, the element of ``idx`` with the highest ``score`` (first on ties).

    ``group`` must be sorted (non-decreasing); the result is sorted.
    """
    if len(idx) == 0:
        return idx.astype(np.int64)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    run = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(group)]))
    best = np.flatnonzero(score >= np.maximum.reduceat(score, starts)[run])
    first = np.r_[True, run[best][1:] != run[best][:-1]]
    return idx[best[first]].astype(np.int64)


def _stable_argsort(values: np.ndarray) -> np.ndarray:
    """Stable argsort of int64 values; packs (value, position) into one key when it fits.

    Sorting packed keys is several times faster than ``argsort(kind="stable")``.
    """
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    lo = int(values.min())
    pos_bits = max(int(n - 1).bit_length(), 1)
    if int(values.max()) - lo >= 1 << (62 - pos_bits):
        return np.argsort(values, kind="stable")
    keys = ((values - lo) << pos_bits) | np.arange(n, dtype=np.int64)
    keys.sort()
    keys &= (1 << pos_bits) - 1
    return keys


def _dictionary_encode(table: pa.Table) -> pa.Table:
    """Dictionary-encode the string columns except EVENT_ID (the in-memory layout)."""
    cols = [c.dictionary_encode() if c.type == pa.string() and name != "EVENT_ID" else c
            for name, c in zip(table.column_names, table.columns)]
    return pa.table(cols, names=table.column_names)


def _dictionary_size(column: pa.ChunkedArray) -> int:
    """Number of dictionary values of a dictionary-encoded column (0 if empty)."""
    return max((len(chunk.dictionary) for chunk in column.chunks), default=0)


def to_plain(table: pa.Table) -> pa.Table:
    """Cast dictionary-encoded columns to plain strings (schema :data:`SCHEMA`, same names)."""
    names = table.column_names
    schema = pa.schema([pa.field(n, SCHEMA.field(n.upper()).type) for n in names])
    return table.cast(schema)


# ---------------------------------------------------------------- writer
def output_format(path: str | Path) -> str:
    """Return ``"csv"``, ``"csv.gz"`` or ``"parquet"`` from the file name; ValueError otherwise."""
    name = str(path).lower()
    for suffix in sorted(OUTPUT_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix[1:]
    raise ValueError(f"unknown output extension for {path!s}: use one of {', '.join(OUTPUT_SUFFIXES)}")


def write_events(
    table: pa.Table,
    path: str | Path,
    lowercase_columns: bool = False,
    row_group_size: int = DEFAULT_ROW_GROUP_SIZE,
    compression: str = "zstd",
) -> Path:
    """Write events to ``path``; the format follows the extension (.csv, .csv.gz, .parquet).

    CSV is unquoted (values never contain commas) with empty fields for nulls and
    DERIVED_TSTAMP as ``YYYY-MM-DD HH:MM:SS.fff``; ``.csv.gz`` is gzip with a
    fixed header (mtime 0) so output stays byte-reproducible.  Parquet keeps
    DERIVED_TSTAMP as ``timestamp[ms]`` and strings as ``string`` (dictionary
    encoded on disk; no Arrow schema is stored, so readers get plain strings),
    ``compression`` codec, row groups of ``row_group_size`` rows.  Data is
    converted one row group at a time, so memory stays bounded.  Parent
    directories are created.

    Args:
        table: events as returned by :func:`generate_events`.
        path: destination file.
        lowercase_columns: write lower-case column names (``app_id``...).
        row_group_size: rows per Parquet row group / CSV conversion batch.
        compression: Parquet codec (``zstd``, ``snappy``, ``gzip``, ``none``).

    Returns:
        The path written.
    """
    fmt = output_format(path)
    if row_group_size < 1:
        raise ValueError(f"row_group_size must be positive, got {row_group_size}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = [c.lower() for c in table.column_names] if lowercase_columns else list(table.column_names)
    t0 = time.perf_counter()

    def batches() -> Iterator[pa.Table]:
        # Small dictionaries (URLs, app ids, constants) go to Parquet as they are,
        # which is fast; large ones (user and session ids) are decoded per slice.
        for lo in range(0, max(table.num_rows, 1), row_group_size):
            part = table.slice(lo, row_group_size)
            cols = [
                c.cast(pa.string())
                if pa.types.is_dictionary(c.type) and _dictionary_size(c) > LARGE_DICTIONARY
                else c
                for c in part.columns
            ]
            yield pa.table(cols, names=names)

    parts = batches()
    first = next(parts)
    # Written beside the destination, then renamed over it: an interrupted run leaves the
    # previous file (e.g. the committed sample) whole, never a truncated one.
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        _write_parts(partial, fmt, first, parts, compression, row_group_size)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    LOG.info("wrote %d rows to %s (%s, %.1f MB) in %.2f s", table.num_rows, path, fmt,
             path.stat().st_size / 1e6, time.perf_counter() - t0)
    return path


def _write_parts(path: Path, fmt: str, first: pa.Table, parts: Iterator[pa.Table], compression: str,
                 row_group_size: int) -> None:
    """Write the batches to ``path`` in ``fmt`` (see :func:`write_events`)."""
    if fmt == "parquet":
        # store_schema=False: readers see plain strings, not Arrow dictionaries.
        with pq.ParquetWriter(path, first.schema, compression=compression,
                              store_schema=False) as writer:
            for part in itertools.chain([first], parts):
                writer.write_table(part, row_group_size=row_group_size)
    else:
        options = pacsv.WriteOptions(quoting_style="none", quoting_header="none",
                                     batch_size=64 * 1024)
        with open(path, "wb") as raw:
            sink = (gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=3)
                    if fmt == "csv.gz" else raw)
            try:
                with pacsv.CSVWriter(sink, first.schema, write_options=options) as writer:
                    for part in itertools.chain([first], parts):
                        writer.write_table(part)
            finally:
                if sink is not raw:
                    sink.close()


# ---------------------------------------------------------------- CLI
class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows defaults, except for flags and options without a fixed default."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False) or "(default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


class _OneLineParser(argparse.ArgumentParser):
    """ArgumentParser whose errors are a single line on stderr (exit status 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _non_negative_int(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value < 0.5:
        raise argparse.ArgumentTypeError(f"must be in [0, 0.5), got {value}")
    return value


def _date(text: str) -> str:
    try:
        _parse_start(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None
    return text


def _output(text: str) -> str:
    try:
        output_format(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface of the generator."""
    p = _OneLineParser(
        prog="generate_events.py",
        description="Generate deterministic synthetic Snowplow web events (Snowflake-style "
                    "UPPER-CASE columns) as CSV, gzipped CSV or Parquet.",
        epilog="Example: generate_events.py --output seeds/snowplow_sample_events.csv "
               "(the committed sample: all defaults).  Benchmark: --events 10000000 "
               "--output bench_data/events_10m.parquet",
        formatter_class=_HelpFormatter,
    )
    p.add_argument("--events", type=_non_negative_int, default=DEFAULT_EVENTS, metavar="N",
                   help="number of rows to generate, duplicates included (underscores allowed: 1_000_000)")
    p.add_argument("--seed", type=_non_negative_int, default=DEFAULT_SEED,
                   help="random seed; same seed and options give byte-identical output")
    p.add_argument("--start", type=_date, default=DEFAULT_START,
                   help="first day of the period (ISO date, UTC); never the wall clock")
    p.add_argument("--days", type=_positive_int, default=DEFAULT_DAYS,
                   help="length of the period in days")
    p.add_argument("--visitors", type=_positive_int, default=None, metavar="N",
                   help="number of human visitors (default: events / 6.75)")
    p.add_argument("--bots", type=_non_negative_int, default=None, metavar="N",
                   help="bot-like visitors with 10,000+ events each within about a day "
                        f"(default: one per {EVENTS_PER_BOT:,} events)")
    p.add_argument("--duplicate-rate", type=_rate, default=DEFAULT_DUPLICATE_RATE, metavar="R",
                   help="share of rows re-delivered with the same EVENT_ID, DERIVED_TSTAMP "
                        "1 ms-10 s later")
    p.add_argument("--null-user-rate", type=_rate, default=DEFAULT_NULL_USER_RATE, metavar="R",
                   help="share of events with a null DOMAIN_USERID")
    p.add_argument("--null-tstamp-rate", type=_rate, default=DEFAULT_NULL_TSTAMP_RATE, metavar="R",
                   help="share of events with a null DERIVED_TSTAMP")
    p.add_argument("--other-app-rate", type=_rate, default=DEFAULT_OTHER_APP_RATE, metavar="R",
                   help="share of events from other apps (APP_ID docs-site / mobile-app), "
                        "as whole sessions")
    p.add_argument("--noise-event-rate", type=_rate, default=DEFAULT_NOISE_EVENT_RATE, metavar="R",
                   help="share of link_click / web_vitals / application_error events")
    p.add_argument("--clean", action="store_true",
                   help="shortcut: set all five rates above to 0")
    p.add_argument("--output", "-o", type=_output, required=True, metavar="PATH",
                   help="output file; format from the extension: .csv, .csv.gz or .parquet")
    p.add_argument("--lowercase-columns", action="store_true",
                   help="write lower-case column names instead of Snowflake UPPER-CASE")
    p.add_argument("--row-group-size", type=_positive_int, default=DEFAULT_ROW_GROUP_SIZE,
                   metavar="N", help="rows per Parquet row group (and CSV write batch)")
    p.add_argument("--compression", choices=("zstd", "snappy", "gzip", "none"), default="zstd",
                   help="Parquet compression codec")
    p.add_argument("--log-level", choices=("DEBUG", "INFO", "WARNING", "ERROR"), default="INFO",
                   help="logging verbosity (logs go to stderr)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    rates = dict(
        duplicate_rate=args.duplicate_rate,
        null_user_rate=args.null_user_rate,
        null_tstamp_rate=args.null_tstamp_rate,
        other_app_rate=args.other_app_rate,
        noise_event_rate=args.noise_event_rate,
    )
    if args.clean:
        rates = {key: 0.0 for key in rates}
    try:
        table = generate_events(args.events, seed=args.seed, start=args.start, days=args.days,
                                n_visitors=args.visitors, n_bots=args.bots, **rates)
        write_events(table, args.output, lowercase_columns=args.lowercase_columns,
                     row_group_size=args.row_group_size, compression=args.compression)
    except (ValueError, OSError) as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
