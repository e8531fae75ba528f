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
import zlib
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

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


class Plugin(BasePlugin):
    """Registers :data:`FUNCTION_NAME` on each DuckDB connection dbt opens."""

    def configure_connection(self, conn: Any) -> None:
        conn.create_function(
            FUNCTION_NAME, gzip_problem, ["VARCHAR"], "VARCHAR", null_handling="special", side_effects=True
        )
