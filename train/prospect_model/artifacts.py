"""Atomic writing of the run's output files.

Every file is written to a temporary file in the destination folder (flushed and
fsynced) and then moved over the old one with ``os.replace``, which is atomic on
POSIX and Windows. :func:`write_artifacts` first stages *all* files and only
then replaces them, so a failure while writing (disk full, permissions) leaves
every previous file untouched and removes the temporary files. The caller
computes all contents in memory before calling it.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import joblib

from .errors import TrainingError

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _stage(directory: Path, name: str, data: bytes, mode: int) -> Path:
    """Write ``data`` to a new temporary file next to ``directory/name``; return its path."""
    fd, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=TEMP_SUFFIX)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


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


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Atomically replace ``path`` with ``data`` (temp file in the same folder + os.replace)."""
    target = Path(path)
    return write_artifacts(target.parent, {target.name: data})[0]


def write_artifacts(output_dir: str | os.PathLike[str], files: Mapping[str, bytes]) -> list[Path]:
    """Atomically write ``{file name: bytes}`` into ``output_dir`` (created if needed).

    All files are staged before any is replaced; on error the temporaries are
    removed, previous files stay as they were, and a TrainingError is raised.
    """
    directory = Path(output_dir)
    staged: dict[str, Path] = {}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        mode = _file_mode()
        for name, data in files.items():
            if Path(name).name != name:
                raise ValueError(f"artifact name must be a plain file name: {name!r}")
            staged[name] = _stage(directory, name, data, mode)
        written = []
        for name, temp in staged.items():
            os.replace(temp, directory / name)
            written.append(directory / name)
        staged.clear()
        _fsync_directory(directory)
    except OSError as exc:
        raise TrainingError(
            f"cannot write the output files to {directory}: {exc.strerror or exc}; "
            "previous files were left unchanged"
        ) from exc
    finally:
        for temp in staged.values():
            temp.unlink(missing_ok=True)
    for path in written:
        log.debug("wrote %s", path)
    return written


def model_bytes(model: Any) -> bytes:
    """The estimator serialised with ``joblib.dump`` (load it with ``joblib.load``)."""
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.getvalue()
