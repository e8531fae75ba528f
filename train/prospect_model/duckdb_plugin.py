"""dbt-duckdb plugin: a check of compressed events files that SQL cannot make.

``profiles.yml``'s ``duckdb`` target loads it (``plugins: [{module: prospect_model.duckdb_plugin}]``;
``make install`` installs the package). On every connection it registers the scalar function
``prospect_scoring_gzip_problem(path)``, which the start-of-run check of ``snowplow__events_file``
(``macros/validation/validate_events_file.sql``) calls for each gzip file: it streams the file once,
in 1 MiB pieces (no file is held in memory), through ``zlib`` and an incremental UTF-8 decoder, and
returns ``NULL`` for a complete gzip stream of UTF-8 text, else what is wrong in a few words.

Why a plugin: a gzip stream that is corrupt inside (a truncated download, a flipped byte) makes
DuckDB's reader fail with its own error, and a dbt macro cannot catch a failed query; this function
returns the problem instead, so the check can stop the run with the project's one-line message that
names the file. Without the plugin (a profile of your own), the check falls back to streaming the
file through DuckDB's CSV reader: encoding problems are still named, a corrupt stream then gets
DuckDB's error.
"""

from __future__ import annotations

import codecs
import os
import struct
import zlib
from typing import Any, ClassVar

from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError

#: The SQL name of the check.
FUNCTION_NAME = "prospect_scoring_gzip_problem"
_CHUNK = 1 << 20
#: zlib window bits for a gzip stream (header and trailer checked: CRC-32 and length).
_GZIP_WBITS = 16 + zlib.MAX_WBITS


def gzip_problem(path: str | None) -> str | None:
    """``None`` if ``path`` is one or more complete gzip members of UTF-8 text, else what is wrong."""
    if path is None:
        return None
    try:
        read_any, member_open = _stream(path)
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    except zlib.error as error:
        return f"is not a valid gzip stream ({error})"
    except UnicodeDecodeError:
        return "is not UTF-8 text"
    if not read_any:
        return "is empty"
    return "is a truncated gzip stream (it ends too early, e.g. an interrupted download)" if member_open else None


def _stream(path: str) -> tuple[bool, bool]:
    """Decompress and decode ``path`` piece by piece; ``(any byte read, a member left unfinished)``.

    Raises what ``open``, ``zlib`` (bad header, CRC-32 or length) and the UTF-8 decoder raise.
    """
    decompressor = zlib.decompressobj(_GZIP_WBITS)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    member_open = False  # bytes of a member went in and the member has not ended yet
    read_any = False
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            read_any = True
            while chunk:
                if not member_open and not chunk.strip(b"\x00"):
                    break  # zero padding after the last member, which gzip itself accepts
                member_open = True
                decoder.decode(decompressor.decompress(chunk))
                if not decompressor.eof:
                    break
                # one complete member (CRC-32 and length checked); what follows is the next member
                member_open = False
                chunk = decompressor.unused_data
                decompressor = zlib.decompressobj(_GZIP_WBITS)
    decoder.decode(b"", final=True)
    return read_any, member_open


def lock_holder(path: str) -> int | None:
    """The PID of another process holding a write lock on the DuckDB file ``path``, else None.

    Asks the kernel (``fcntl`` ``F_GETLK``, the POSIX record lock DuckDB takes) without taking a lock.
    Only call it before this process opens ``path`` itself: closing any descriptor of a file drops
    the process's own POSIX locks on it.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: DuckDB's own error then says it
        return None
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        return None  # a new database, or one DuckDB will report itself
    try:
        request = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        answer = fcntl.fcntl(handle, fcntl.F_GETLK, request)
    except OSError:
        return None
    finally:
        os.close(handle)
    kind, _, _, _, pid = struct.unpack("hhqqi", answer)
    return pid if kind != fcntl.F_UNLCK else None


class Plugin(BasePlugin):
    """Registers :data:`FUNCTION_NAME` on each DuckDB connection dbt opens; before the first one,
    stops the run in one line when another process holds the database file."""

    _checked_paths: ClassVar[set[str]] = set()

    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        path = str(getattr(creds, "path", "") or "")
        if not path or path == ":memory:" or path.startswith("md:") or path in Plugin._checked_paths:
            return
        Plugin._checked_paths.add(path)  # once per process, before dbt's own connection exists
        pid = lock_holder(path)
        if pid is not None:
            raise DbtRuntimeError(
                f"The DuckDB file {path} is in use by another process (PID {pid}): close it (a DuckDB "
                "shell, a notebook, a running dbt, fit.py or prospect-score) and run again, or point "
                "DBT_DUCKDB_PATH at another file."
            )

    def configure_connection(self, conn: Any) -> None:
        conn.create_function(
            FUNCTION_NAME, gzip_problem, ["VARCHAR"], "VARCHAR", null_handling="special", side_effects=True
        )
