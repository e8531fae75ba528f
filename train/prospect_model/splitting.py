"""Train/test splits (by visitor - the default -, by row - the tutorial's -, or out of time)
and the visitor-grouped cross-validation folds.

``rows`` reproduces the tutorial exactly: the indices of
``train_test_split(X, y, test_size=test_size, random_state=seed, stratify=y)``
on the rows in read order (they depend only on ``y``, ``test_size`` and ``seed``).

``visitor`` keeps every visitor (``domain_userid``) on one side, so the test
score is not inflated by the same visitor's near-duplicate events appearing on
both sides. It is a stratified group shuffle split computed with vectorised
numpy (scikit-learn's ``StratifiedGroupKFold`` loops over groups in Python and
takes minutes at a million visitors, and it can only hold out ``1/n_splits``):

1. visitors are split into two strata: with at least one positive row
   ("converting"), and without;
2. both strata are shuffled with ``numpy.random.default_rng(seed)`` (converting
   first); then the test side takes the prefix of converting visitors whose
   positive rows come closest to ``test_size`` of all positive rows (at least
   one visitor, and at least one is left for training), and the prefix of the
   other visitors whose rows bring the test side closest to ``test_size`` of all
   rows.

So the test side gets about ``test_size`` of the positive rows and of all rows
(positives are concentrated in few visitors, so matching visitor counts alone
would not balance them), and the split is a deterministic function of the
rows, their order and the seed.

``time`` is the out-of-time test of a deployed scorer: the test side is the last
``test_size`` of the rows by event time (from the cut time on); the training side
is the rows whose label had matured before the cut (the label's window, up to the
end of the horizon's last whole second: event second + horizon + 1 s <= cut), so
no training label depends on anything at or after the cut. The rows in between
are left out and counted.

Each side must have at least :data:`MIN_ROWS` rows, :data:`MIN_VISITORS`
visitors, :data:`MIN_POSITIVES` positive and :data:`MIN_NEGATIVES` negative rows
(too little to fit or to measure anything otherwise).

Cross-validation folds (:func:`fold_ids`) follow the same idea as the visitor
split: converting visitors and the others are shuffled separately and dealt to
K folds by their cumulative positives (resp. rows), so every fold holds about
1/K of the positives and of the rows and no visitor is in two folds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from sklearn.model_selection import train_test_split

from .defaults import SPLIT_KINDS
from .errors import TrainingError

log = logging.getLogger(__name__)

SplitKind = Literal["visitor", "rows", "time"]

#: Least rows, visitors, positive and negative rows on each side of a split.
MIN_ROWS = 30
MIN_VISITORS = 5
MIN_POSITIVES = 5
MIN_NEGATIVES = 5
MINIMUM_TEXT = (
    f"each side needs at least {MIN_ROWS} rows, {MIN_VISITORS} visitors, {MIN_POSITIVES} positive and "
    f"{MIN_NEGATIVES} negative rows"
)


@dataclass(frozen=True)
class Split:
    """Row indices of the two sides of a split (``info``: e.g. the cut of a time split)."""

    kind: str
    train: np.ndarray
    test: np.ndarray
    info: dict[str, object] = field(default_factory=dict)


def validate_test_size(test_size: float) -> float:
    """Return ``test_size`` as a float if it lies strictly between 0 and 1."""
    try:
        value = float(test_size)
    except (TypeError, ValueError) as exc:
        raise TrainingError(f"test size must be a number between 0 and 1, not {test_size!r}") from exc
    if not 0.0 < value < 1.0:
        raise TrainingError(f"test size must be strictly between 0 and 1, not {test_size!r}")
    return value


def split_rows(y: np.ndarray, test_size: float, seed: int) -> Split:
    """The tutorial's stratified row split (same indices as ``train_test_split``)."""
    n = len(y)
    n_pos = int(np.count_nonzero(y))
    n_test = int(np.ceil(test_size * n))
    n_train = n - n_test
    if min(n_pos, n - n_pos) < 2 or n_test < 2 or n_train < 2:
        raise TrainingError(
            f"too few rows for a stratified row split with test size {test_size}: {n} rows "
            f"({n_pos} positives, {n - n_pos} negatives) give {n_train} training and {n_test} "
            "test rows; each side needs at least one positive and one negative row (add data "
            "or change --test-size)"
        )
    try:
        train, test = train_test_split(
            np.arange(n), test_size=test_size, random_state=seed, stratify=y
        )
    except ValueError as exc:
        raise TrainingError(f"cannot split {n} rows with test size {test_size}: {exc}") from exc
    return Split("rows", np.asarray(train, dtype=np.int64), np.asarray(test, dtype=np.int64))


def split_visitors(y: np.ndarray, groups: np.ndarray, test_size: float, seed: int) -> Split:
    """Stratified group split: no visitor on both sides (see module docstring)."""
    groups = np.asarray(groups)
    n_groups = int(groups.max()) + 1 if len(groups) else 0
    rows_per_group = np.bincount(groups, minlength=n_groups)
    pos_per_group = np.bincount(groups, weights=y.astype(np.float64), minlength=n_groups)
    converting = pos_per_group > 0
    n_converting = int(converting.sum())
    if n_groups < 2 or n_converting < 2:
        raise TrainingError(
            f"too few visitors for a visitor split: {n_groups} visitors, {n_converting} with a "
            "conversion; each side needs at least one converting visitor (add data or use "
            "--split rows)"
        )
    rng = np.random.default_rng(seed)
    in_test = np.zeros(n_groups, dtype=bool)
    converting_ids = np.flatnonzero(converting)
    converting_ids = converting_ids[rng.permutation(len(converting_ids))]
    other_ids = np.flatnonzero(~converting)
    other_ids = other_ids[rng.permutation(len(other_ids))]

    positives = np.cumsum(pos_per_group[converting_ids])
    take = _closest_prefix(positives, test_size * positives[-1])
    take = min(max(take, 1), len(converting_ids) - 1)
    in_test[converting_ids[:take]] = True

    if len(other_ids):
        rows_goal = test_size * len(y) - rows_per_group[converting_ids[:take]].sum()
        take = _closest_prefix(np.cumsum(rows_per_group[other_ids]), rows_goal)
        take = min(take, max(len(other_ids) - 1, 0))
        in_test[other_ids[:take]] = True
    test_mask = in_test[groups]
    split = Split("visitor", np.flatnonzero(~test_mask), np.flatnonzero(test_mask))
    check_split(split, y, groups)
    return split


def _closest_prefix(cumulative: np.ndarray, goal: float) -> int:
    """Length (0..n) of the prefix whose cumulative sum is closest to ``goal`` (shortest on ties)."""
    sums = np.concatenate(([0.0], np.asarray(cumulative, dtype=np.float64)))
    return int(np.argmin(np.abs(sums - goal)))


def check_split(split: Split, y: np.ndarray, groups: np.ndarray) -> None:
    """Each side needs enough rows, visitors and rows of each class; no visitor shared (visitor split)."""
    for side, rows in (("training", split.train), ("test", split.test)):
        n_pos = int(np.count_nonzero(y[rows]))
        n_visitors = len(np.unique(groups[rows]))
        if (len(rows) < MIN_ROWS or n_visitors < MIN_VISITORS or n_pos < MIN_POSITIVES
                or len(rows) - n_pos < MIN_NEGATIVES):
            raise TrainingError(
                f"the {side} side of the {split.kind} split is too small to "
                f"{'fit' if side == 'training' else 'measure'} a model: {len(rows)} rows, {n_visitors} visitors, "
                f"{n_pos} positive and {len(rows) - n_pos} negative rows; {MINIMUM_TEXT} "
                "(add data or change --test-size)"
            )
    if split.kind == "visitor":
        shared = np.intersect1d(groups[split.train], groups[split.test])
        if len(shared):  # cannot happen by construction; guard against regressions
            raise AssertionError(f"{len(shared)} visitors on both sides of the visitor split")


def make_split(
    kind: str, y: np.ndarray, groups: np.ndarray, test_size: float, seed: int,
    *, times: np.ndarray | None = None, horizon_seconds: int | None = None,
) -> Split:
    """Split the rows with the named method (``visitor``, ``rows`` or ``time``) and log the sizes."""
    test_size = validate_test_size(test_size)
    if kind == "rows":
        split = split_rows(y, test_size, seed)
        check_split(split, y, groups)
    elif kind == "visitor":
        split = split_visitors(y, groups, test_size, seed)
    elif kind == "time":
        if times is None or horizon_seconds is None:
            raise TrainingError("the time split needs the event times and the label horizon (--horizon-seconds)")
        split = split_time(y, groups, times, test_size, horizon_seconds)
    else:
        raise TrainingError(f"unknown split {kind!r} (choose from {', '.join(SPLIT_KINDS)})")
    log.info(
        "%s split: %d training rows, %d test rows (%.1f%% test)",
        kind, len(split.train), len(split.test), 100.0 * len(split.test) / len(y),
    )
    return split


def split_time(
    y: np.ndarray, groups: np.ndarray, times: np.ndarray, test_size: float, horizon_seconds: int
) -> Split:
    """Out-of-time split (see module docstring); ``times`` in microseconds since the epoch."""
    n = len(y)
    order = np.sort(times)
    cut_index = min(max(int(np.floor((1.0 - test_size) * n)), 1), n - 1)
    cut = int(order[cut_index])
    # A label counts conversions up to the end of the horizon's last whole second
    # (datediff('second') <= horizon), so its window ends at the event's second + horizon + 1 s.
    label_window_end = times // 1_000_000 * 1_000_000 + (int(horizon_seconds) + 1) * 1_000_000
    test = np.flatnonzero(times >= cut)
    train = np.flatnonzero(label_window_end <= cut)
    gap = n - len(test) - len(train)
    info: dict[str, object] = {
        "cut_utc": _iso(cut),
        "horizon_seconds": int(horizon_seconds),
        "rows_left_out_label_not_mature_at_cut": int(gap),
        "train_end_utc": _iso(int(times[train].max())) if len(train) else None,
    }
    log.info(
        "time split at %s: training rows end %s (labels matured before the cut); %d rows within %d s "
        "before the cut left out", info["cut_utc"], info["train_end_utc"], gap, horizon_seconds,
    )
    split = Split("time", train.astype(np.int64), test.astype(np.int64), info)
    check_split(split, y, groups)
    return split


def _iso(micros: int) -> str:
    return str(np.datetime64(int(micros), "us").astype("datetime64[s]")) + "Z"


def fold_ids(y: np.ndarray, groups: np.ndarray, k: int, seed: int, *, by_rows: bool = False) -> np.ndarray:
    """Fold number (0..k-1) of each row: visitor-grouped and stratified (``by_rows``: stratified over rows).

    Raises :class:`TrainingError` when some fold would get no positive or no negative row.
    """
    rng = np.random.default_rng(seed + 1)
    if by_rows:
        from sklearn.model_selection import StratifiedKFold

        folds = np.empty(len(y), dtype=np.int8)
        n_pos = int(np.count_nonzero(y))
        if min(n_pos, len(y) - n_pos) < k:
            raise TrainingError(
                f"too few rows for {k} cross-validation folds: the training side has {n_pos} positive and "
                f"{len(y) - n_pos} negative rows, each fold needs one of each; use --cv-folds with fewer folds"
            )
        splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        for fold, (_, held) in enumerate(splitter.split(np.zeros(len(y)), y)):
            folds[held] = fold
        return folds
    codes, groups = np.unique(groups, return_inverse=True)
    n_groups = len(codes)
    rows_per_group = np.bincount(groups, minlength=n_groups).astype(np.float64)
    pos_per_group = np.bincount(groups, weights=y.astype(np.float64), minlength=n_groups)
    converting = np.flatnonzero(pos_per_group > 0)
    others = np.flatnonzero(pos_per_group == 0)
    if len(converting) < k:
        raise TrainingError(
            f"too few visitors for {k} visitor-grouped cross-validation folds: {len(converting)} of the "
            f"{n_groups} training visitors convert and every fold needs one; use --cv-folds with fewer folds "
            "(at least 2) or add data"
        )
    fold_of_group = np.empty(n_groups, dtype=np.int8)
    for ids, weights in ((converting, pos_per_group), (others, rows_per_group)):
        if not len(ids):
            continue
        ids = ids[rng.permutation(len(ids))]
        before = np.cumsum(weights[ids]) - weights[ids]
        fold_of_group[ids] = np.minimum((before / weights[ids].sum() * k).astype(np.int64), k - 1)
    folds = fold_of_group[groups]
    for fold in range(k):
        held = folds == fold
        n_pos = int(np.count_nonzero(y[held]))
        if n_pos == 0 or n_pos == int(held.sum()):
            raise TrainingError(
                f"cross-validation fold {fold + 1} of {k} has {int(held.sum())} rows with {n_pos} positives: "
                "too few visitors of one class for this many folds; use --cv-folds with fewer folds or add data"
            )
    return folds


def side_counts(split: Split, y: np.ndarray, groups: np.ndarray) -> dict[str, dict[str, float]]:
    """Rows, visitors, positives, negatives and positive rate of each side."""
    counts: dict[str, dict[str, float]] = {}
    for side, rows in (("train", split.train), ("test", split.test)):
        n_pos = int(np.count_nonzero(y[rows]))
        present = np.zeros(int(groups.max()) + 1, dtype=bool)
        present[groups[rows]] = True
        counts[side] = {
            "rows": len(rows),
            "visitors": int(present.sum()),
            "positives": n_pos,
            "negatives": int(len(rows) - n_pos),
            "positive_rate": float(n_pos / len(rows)) if len(rows) else 0.0,
        }
    return counts
