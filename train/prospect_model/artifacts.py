"""Writing the run's output files: one run directory, switched in as a whole.

Layout of ``<output-dir>``::

    runs/<run id>/          every file of one run (model.joblib, metadata.json, report.md, plots)
    current -> runs/<id>    the run in use (a symlink, replaced atomically)
    model.joblib -> current/model.joblib   (and one such link per file)

:func:`write_artifacts` writes all files into a hidden ``runs/.<id>.tmp``
directory (each flushed and fsynced), renames it to ``runs/<id>``, then replaces
the ``current`` link with one ``os.replace`` - the atomic switch: a reader sees
either every old file or every new one, never new metadata with an old model.
The top-level names are links through ``current``, so ``<output-dir>/model.joblib``
stays a valid path. A failure before the switch leaves the previous run in use
and removes what it wrote. Every run cleans leftovers: hidden ``.tmp`` files and
directories of interrupted runs, and all but the :data:`~.defaults.RUNS_KEPT`
newest runs (never the current one). Files of an older layout (plain files at the
top level with the names of this run's files) are not lost: after the switch they
move into ``runs/<id from their time>-previous-layout/``, a run of their own (the
previous model stays at hand), and the links take their places.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib

from .defaults import RUNS_KEPT
from .errors import TrainingError

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"
RUNS_DIR = "runs"
CURRENT = "current"


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_file(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, mode)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _replace_with_link(path: Path, target: str) -> None:
    """Atomically make ``path`` a symlink to ``target`` (whatever it was before)."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    if path.is_dir() and not path.is_symlink():
        raise TrainingError(f"{path} is a directory; remove it or choose another --output-dir")
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    os.symlink(target, temp)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def new_run_id() -> str:
    """A run id that sorts by time: ``YYYYmmddTHHMMSS.ffffffZ-<hex>``."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ") + "-" + secrets.token_hex(3)


def current_run(output_dir: str | os.PathLike[str]) -> Path | None:
    """The directory of the run in use, or None."""
    link = Path(output_dir) / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def write_artifacts(output_dir: str | os.PathLike[str], files: Mapping[str, bytes]) -> list[Path]:
    """Write ``{file name: bytes}`` as a new run of ``output_dir`` and switch to it (see module docstring).

    Returns the top-level paths (links through ``current``). On error nothing in use
    changes, the partial run is removed, and a TrainingError is raised.
    """
    directory = Path(output_dir)
    for name in files:
        if Path(name).name != name or name in (RUNS_DIR, CURRENT) or name.startswith("."):
            raise ValueError(f"artifact name must be a plain file name: {name!r}")
    run_id = new_run_id()
    staging = directory / RUNS_DIR / f".{run_id}{TEMP_SUFFIX}"
    final = directory / RUNS_DIR / run_id
    try:
        (directory / RUNS_DIR).mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        mode = _file_mode()
        for name, data in files.items():
            _write_file(staging / name, data, mode)
        _fsync_directory(staging)
        os.rename(staging, final)
        _fsync_directory(directory / RUNS_DIR)
        previous = current_run(directory)
        _replace_with_link(directory / CURRENT, f"{RUNS_DIR}/{run_id}")  # the switch
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        raise TrainingError(
            f"cannot write the output files to {directory}: {exc.strerror or exc}; previous files were left unchanged"
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if current_run(directory) != final.resolve():
            shutil.rmtree(final, ignore_errors=True)
        raise
    written = []
    try:
        _keep_older_layout(directory, [name for name in files if _is_plain_file(directory / name)])
        for name in files:
            _replace_with_link(directory / name, f"{CURRENT}/{name}")
            written.append(directory / name)
        _remove_stale_links(directory, set(files))
        _fsync_directory(directory)
        clean_leftovers(directory, keep=RUNS_KEPT)
    except OSError as exc:
        raise TrainingError(
            f"switched {directory} to run {run_id}, but could not update the links beside it: "
            f"{exc.strerror or exc}; use {directory / CURRENT}/ meanwhile"
        ) from exc
    log.debug("switched %s to run %s (previous: %s)", directory, run_id, previous.name if previous else "none")
    return written


def _is_plain_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _keep_older_layout(directory: Path, names: list[str]) -> Path | None:
    """Move the older layout's plain files ``names`` into a run directory of their own.

    Its id sorts by the files' time (the newest modification), so the usual retention applies.
    """
    if not names:
        return None
    newest = max((directory / name).stat().st_mtime for name in names)
    stamp = datetime.fromtimestamp(newest, UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    kept = directory / RUNS_DIR / f"{stamp}-previous-layout"
    kept.mkdir(exist_ok=True)
    for name in names:
        # a second name for the same file (a copy where links are not possible): the top-level
        # path stays valid until _replace_with_link swaps it for the link in one os.replace
        (kept / name).unlink(missing_ok=True)
        try:
            os.link(directory / name, kept / name)
        except OSError:
            shutil.copy2(directory / name, kept / name)
    _fsync_directory(kept)
    log.info("kept the older layout's files %s in %s", ", ".join(names), kept)
    return kept


def _remove_stale_links(directory: Path, names: set[str]) -> None:
    """Remove top-level links into ``current`` for files the current run does not have."""
    for path in directory.iterdir():
        if path.name in names or not path.is_symlink():
            continue
        if os.readlink(path).startswith(f"{CURRENT}/") and not path.exists():
            path.unlink()


def clean_leftovers(directory: Path, keep: int = RUNS_KEPT) -> list[Path]:
    """Remove temporary files and directories of interrupted runs, and old runs beyond ``keep``."""
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    for path in directory.iterdir():
        if path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX) and (path.is_symlink() or path.is_file()):
            path.unlink(missing_ok=True)
            removed.append(path)
    runs = directory / RUNS_DIR
    if runs.is_dir():
        current = current_run(directory)
        complete = sorted(p for p in runs.iterdir() if p.is_dir() and not p.name.startswith("."))
        for path in runs.iterdir():
            if path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX):
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
                removed.append(path)
        old = [p for p in complete if p.resolve() != current][: max(len(complete) - keep, 0)]
        for path in old:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    for path in removed:
        log.debug("removed leftover %s", path)
    return removed


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Atomically replace one file ``path`` with ``data`` (temp file in the same folder + os.replace)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, _file_mode())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


def model_bytes(model: Any) -> bytes:
    """The estimator serialised with ``joblib.dump`` (load it with ``joblib.load``)."""
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.getvalue()
