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
import zlib
from pathlib import Path
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


#: The kernel's table of file locks (Linux): read, so that no descriptor of the database is opened.
PROC_LOCKS = "/proc/locks"


def lock_holder(path: str, locks_table: str = PROC_LOCKS) -> int | None:
    """The PID of another process holding a write lock on the DuckDB file ``path``, else None.

    Reads the kernel's lock table (``/proc/locks``: ``1: POSIX ADVISORY WRITE <pid>
    <major>:<minor>:<inode> 0 EOF``) for the file's device and inode. It never opens the file:
    closing a descriptor of a file drops every POSIX lock this process holds on it, DuckDB's
    own included (dbt run in a process that already has the database open). Without that table
    (not Linux), or where the kernel names another device than ``stat`` does (an overlay
    filesystem), it finds nothing and DuckDB's own error stands.
    """
    try:
        info = os.stat(path)
        table = Path(locks_table).read_text()
    except OSError:
        return None  # a new database, or no lock table
    file_id = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    for line in table.splitlines():
        fields = line.split()
        # "<n>: <kind> <mode> <access> <pid> <file> <start> <end>"; "<n>: -> ..." are waiters, not holders
        if len(fields) < 6 or fields[1] == "->" or fields[3] != "WRITE" or fields[5] != file_id:
            continue
        try:
            pid = int(fields[4])
        except ValueError:
            continue
        if pid > 0 and pid != os.getpid():
            return pid
    return None


class Plugin(BasePlugin):
    """Registers :data:`FUNCTION_NAME` on each DuckDB connection dbt opens; before the first one,
    stops the run in one line when another process holds the database file."""

    _checked_paths: ClassVar[set[str]] = set()

    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        path = str(getattr(creds, "path", "") or "")
        if not path or path == ":memory:" or path.startswith("md:") or path in Plugin._checked_paths:
            return
        if getattr(creds, "retries", None):
            return  # the profile asks dbt-duckdb to wait for the lock (retries: connect_attempts)
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
