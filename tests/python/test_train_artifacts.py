"""Atomic writes: all-or-nothing, no temporary files left behind."""

from __future__ import annotations

import os
from pathlib import Path

import joblib
import pytest
from sklearn.linear_model import LogisticRegression

from conftest_train_helpers import snapshot
from prospect_model import artifacts
from prospect_model.artifacts import atomic_write_bytes, model_bytes, write_artifacts
from prospect_model.errors import TrainingError


def test_write_artifacts_creates_the_folder_and_leaves_no_temp_files(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b"
    written = write_artifacts(out, {"x.bin": b"\x00\x01", "y.txt": b"hello\n"})
    assert [p.name for p in written] == ["x.bin", "y.txt"]
    assert snapshot(out) == {"x.bin": b"\x00\x01", "y.txt": b"hello\n"}
    mode = (out / "y.txt").stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_atomic_write_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "model.joblib"
    target.write_bytes(b"old")
    atomic_write_bytes(target, b"new")
    assert snapshot(tmp_path) == {"model.joblib": b"new"}


def test_failure_while_staging_leaves_everything_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {"model.joblib": b"old model", "report.md": b"old report"}
    for name, data in before.items():
        (tmp_path / name).write_bytes(data)
    calls = {"n": 0}
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(artifacts.os, "fsync", failing_fsync)
    with pytest.raises(TrainingError, match="No space left on device.*left unchanged"):
        write_artifacts(tmp_path, {"model.joblib": b"new model", "report.md": b"new report"})
    assert snapshot(tmp_path) == before  # no temp files either


def test_artifact_names_must_be_plain_file_names(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_artifacts(tmp_path, {"../escape": b"x"})
    assert list(tmp_path.iterdir()) == []


def test_model_bytes_round_trip(tmp_path: Path) -> None:
    model = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    path = tmp_path / "model.joblib"
    atomic_write_bytes(path, model_bytes(model))
    loaded = joblib.load(path)
    assert (loaded.coef_ == model.coef_).all()
