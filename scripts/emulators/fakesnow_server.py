"""fakesnow's server (``fakesnow -s``) with one more Snowflake function translated. Test-only.

Runs in ``.venv-fakesnow`` (scripts/emulators/servers.py starts it; the arguments are
fakesnow's own). fakesnow represents a Snowflake ARRAY as DuckDB JSON, and
translates ARRAY_AGG (also as a window function) and ARRAY_SIZE onto it, but passes
ARRAY_DISTINCT through as DuckDB's ``array_distinct``, which takes a DuckDB list, so
it fails on its own ARRAY (``list_distinct(JSON)`` binder error). This adds the
missing translation before fakesnow's own:

    ARRAY_DISTINCT(a)  ->  TO_JSON(LIST_DISTINCT(FROM_JSON(a, '["JSON"]')))

that is, Snowflake's documented meaning (the distinct elements of the array, as an
ARRAY; order unspecified) on fakesnow's representation. The project's Snowflake SQL
uses it once: a distinct count over a window frame with a period,
``array_size(array_distinct(array_agg(x) over <frame>))``
(macros/catalog/snowflake__window_distinct_count.sql). Nothing of this runs against a
real Snowflake account, and nothing in the project's macros depends on it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from fakesnow import cursor as fakesnow_cursor
from fakesnow.cli import main as fakesnow_main
from sqlglot import exp


def array_distinct(expression: exp.Expression) -> exp.Expression:
    """ARRAY_DISTINCT over fakesnow's JSON arrays (see the module's docstring)."""
    if isinstance(expression, exp.ArrayDistinct):
        as_list = exp.Anonymous(this="FROM_JSON", expressions=[expression.this, exp.Literal.string('["JSON"]')])
        distinct = exp.Anonymous(this="LIST_DISTINCT", expressions=[as_list])
        return exp.Anonymous(this="TO_JSON", expressions=[distinct])
    return expression


def install() -> None:
    """Apply array_distinct before fakesnow's own translations, in every cursor."""
    original = fakesnow_cursor.FakeSnowflakeCursor._transform

    def _transform(self: fakesnow_cursor.FakeSnowflakeCursor, expression: exp.Expression,
                   params: object) -> exp.Expression:
        return original(self, expression.transform(array_distinct, copy=False), params)

    fakesnow_cursor.FakeSnowflakeCursor._transform = _transform  # type: ignore[method-assign]


def main(argv: Sequence[str] | None = None) -> int:
    install()
    return int(fakesnow_main(list(sys.argv[1:] if argv is None else argv)) or 0)


if __name__ == "__main__":
    sys.exit(main())
