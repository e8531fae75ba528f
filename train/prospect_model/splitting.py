"""Train/test splits: by visitor (default) or by row (the tutorial's split).

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
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import numpy as np
from sklearn.model_selection import train_test_split

from .defaults import SPLIT_KINDS
from .errors import TrainingError

log = logging.getLogger(__name__)

SplitKind = Literal["visitor", "rows"]


@dataclass(frozen=True)
class Split:
    """Row indices of the two sides of a split."""

    kind: str
    train: np.ndarray
    test: np.ndarray


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
    """Each side needs a positive, a negative and (visitor split) no shared visitor."""
    for side, rows in (("training", split.train), ("test", split.test)):
        n_pos = int(np.count_nonzero(y[rows]))
        if len(rows) == 0 or n_pos == 0 or n_pos == len(rows):
            raise TrainingError(
                f"the {side} side of the {split.kind} split has {len(rows)} rows with {n_pos} "
                "positives; each side needs at least one positive and one negative row "
                "(add data, change --test-size, or use --split rows)"
            )
    if split.kind == "visitor":
        shared = np.intersect1d(groups[split.train], groups[split.test])
        if len(shared):  # cannot happen by construction; guard against regressions
            raise AssertionError(f"{len(shared)} visitors on both sides of the visitor split")


def make_split(
    kind: str, y: np.ndarray, groups: np.ndarray, test_size: float, seed: int
) -> Split:
    """Split the rows with the named method (``visitor`` or ``rows``) and log the sizes."""
    test_size = validate_test_size(test_size)
    if kind == "rows":
        split = split_rows(y, test_size, seed)
        check_split(split, y, groups)
    elif kind == "visitor":
        split = split_visitors(y, groups, test_size, seed)
    else:
        raise TrainingError(f"unknown split {kind!r} (choose from {', '.join(SPLIT_KINDS)})")
    log.info(
        "%s split: %d training rows, %d test rows (%.1f%% test)",
        kind, len(split.train), len(split.test), 100.0 * len(split.test) / len(y),
    )
    return split


def side_counts(split: Split, y: np.ndarray, groups: np.ndarray) -> dict[str, dict[str, float]]:
    """Rows, visitors, positives, negatives and positive rate of each side."""
    counts: dict[str, dict[str, float]] = {}
    for side, rows in (("train", split.train), ("test", split.test)):
        n_pos = int(np.count_nonzero(y[rows]))
        present = np.zeros(int(groups.max()) + 1, dtype=bool)
        present[groups[rows]] = True
        counts[side] = {
            "rows": int(len(rows)),
            "visitors": int(present.sum()),
            "positives": n_pos,
            "negatives": int(len(rows) - n_pos),
            "positive_rate": float(n_pos / len(rows)) if len(rows) else 0.0,
        }
    return counts
