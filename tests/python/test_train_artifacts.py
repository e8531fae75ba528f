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
    with pytest.raises(TrainingError, match=r"No space left on device.*left unchanged"):
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


def test_runs_switch_as_a_whole_and_old_runs_are_pruned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for i in range(5):
        write_artifacts(out, {"model.joblib": f"model {i}".encode(), "metadata.json": f"meta {i}".encode()})
        # Every top-level name reads the same run.
        assert (out / "model.joblib").read_bytes() == f"model {i}".encode()
        assert (out / "metadata.json").read_bytes() == f"meta {i}".encode()
        assert (out / "model.joblib").resolve().parent == (out / "current").resolve()
    runs = sorted(p.name for p in (out / "runs").iterdir())
    assert len(runs) == artifacts.RUNS_KEPT
    assert (out / "current").resolve().name == runs[-1]
    assert os.readlink(out / "model.joblib") == "current/model.joblib"


def test_a_failed_switch_keeps_the_last_good_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_artifacts(out, {"model.joblib": b"good", "metadata.json": b"good meta"})
    good = (out / "current").resolve()
    real_replace = os.replace

    def failing_replace(src: object, dst: object) -> None:
        if str(dst).endswith("/current"):
            raise OSError(5, "Input/output error")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(artifacts.os, "replace", failing_replace)
    with pytest.raises(TrainingError, match="left unchanged"):
        write_artifacts(out, {"model.joblib": b"new", "metadata.json": b"new meta"})
    monkeypatch.undo()
    assert (out / "current").resolve() == good
    assert snapshot(out) == {"model.joblib": b"good", "metadata.json": b"good meta"}
    assert [p.resolve() for p in (out / "runs").iterdir()] == [good]  # the partial run is gone
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_leftovers_of_interrupted_runs_and_an_older_layout_are_cleaned(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    replace_with_link = artifacts._replace_with_link

    def path_never_missing(path: Path, target: str) -> None:
        # a reader (prospect-serve, a notebook) finds every top-level file until its link replaces it
        assert path.name == "current" or path.exists(), f"{path.name} disappeared before its link"
        replace_with_link(path, target)

    monkeypatch.setattr(artifacts, "_replace_with_link", path_never_missing)
    (out / "runs" / ".20240101T000000Z-abcdef.tmp").mkdir(parents=True)
    (out / "runs" / ".20240101T000000Z-abcdef.tmp" / "model.joblib").write_bytes(b"half")
    (out / ".model.joblib.x1y2.tmp").write_bytes(b"temp of the old layout")
    (out / "model.joblib").write_bytes(b"plain file of the old layout")
    (out / "report.md").write_bytes(b"old report")
    for name in ("model.joblib", "report.md"):
        os.utime(out / name, (1.7e9, 1.7e9))
    write_artifacts(out, {"model.joblib": b"new", "report.md": b"new report"})
    assert sorted(p.name for p in out.iterdir()) == ["current", "model.joblib", "report.md", "runs"]
    assert (out / "model.joblib").is_symlink() and (out / "model.joblib").read_bytes() == b"new"
    # the older layout's files are kept as a run of their own, dated by their time, not overwritten
    runs = sorted(p.name for p in (out / "runs").iterdir())
    assert len(runs) == 2 and not any(name.startswith(".") for name in runs)
    previous = out / "runs" / runs[0]
    assert previous.name.startswith("20231114T") and previous.name.endswith("-previous-layout")
    assert snapshot(previous) == {"model.joblib": b"plain file of the old layout", "report.md": b"old report"}
    assert (out / "current").resolve() == (out / "runs" / runs[1]).resolve()


def test_links_of_files_the_new_run_lacks_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_artifacts(out, {"model.joblib": b"a", "coefficients.png": b"png"})
    write_artifacts(out, {"model.joblib": b"b"})
    assert sorted(p.name for p in out.iterdir()) == ["current", "model.joblib", "runs"]
