"""Check dbt's compiled SQL for constructs the target warehouse does not accept.

    python scripts/check_compiled_sql.py --dialect bigquery target/compiled [more dirs or .sql files]

Parsing alone proves little: sqlglot parses almost anything, and knows the
functions of every dialect at once. So each statement is checked for

* ``parse``: a syntax error in the target's dialect (e.g. BigQuery's
  ``'visitor''s'``, adjacent string literals there);
* ``unknown-function``: calls sqlglot does not know at all (``exp.Anonymous``);
* ``foreign-function``: calls whose name does not survive a round trip through the
  dialect (read and written as ``--dialect``): sqlglot knows them as another
  dialect's spelling and rewrites them, e.g. ``count_if`` or ``datediff`` in
  BigQuery, ``unix_seconds`` in Snowflake;
* ``denied-function``: calls the dialect does not have although sqlglot writes them
  back unchanged (DuckDB table functions such as ``read_csv``, other warehouses'
  functions such as ``farm_fingerprint`` on Snowflake);
* ``type``: ``cast`` / ``try_cast`` / ``safe_cast`` to a type name the dialect does
  not have (``varchar`` on BigQuery, ``int64`` on Snowflake, DuckDB's ``hugeint``...);
* DuckDB-only or otherwise non-portable constructs: ``group by all``, window-frame
  ``exclude``, ``::`` casts on BigQuery, ``ilike`` on BigQuery, ``qualify`` without
  ``where`` / ``group by`` / ``having`` on BigQuery, ``qualify`` at all on Spark (4.1
  does not parse it; Databricks does), ``count(distinct ...) over`` on Spark and
  Databricks (and over an ordered, framed window on Snowflake and BigQuery), and DATETIME arithmetic on
  BigQuery (this project's timestamps are TIMESTAMP, and BigQuery does not compare
  TIMESTAMP with DATETIME: dbt-bigquery's ``dateadd`` returns DATETIME).

Exit status 0 when every file passes, 1 when a problem was found (each printed as
``path: [rule] message``), 2 on bad usage. ``--allow NAME`` accepts a function
the dialect has but sqlglot does not know (check the dialect's documentation
first).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.parser import Parser
from sqlglot.tokens import TokenType

DIALECTS = ("bigquery", "snowflake", "spark", "databricks")

#: Functions each dialect has that sqlglot parses as unknown (exp.Anonymous).
KNOWN_ANONYMOUS: dict[str, frozenset[str]] = {
    "bigquery": frozenset(),
    "snowflake": frozenset({"hash", "to_timestamp"}),
    "spark": frozenset({"xxhash64", "hash"}),
    "databricks": frozenset({"xxhash64", "hash"}),
}

#: Functions each dialect has that sqlglot writes back under a synonym (or as an
#: operator): their disappearing in the round trip is no sign of a foreign spelling.
NATIVE_SYNONYMS: dict[str, frozenset[str]] = {
    "bigquery": frozenset({"strpos"}),
    "snowflake": frozenset({
        "ifnull", "nvl", "substr", "len", "to_varchar", "extract", "mod", "zeroifnull", "div0",
        "timestampdiff", "position",
    }),
    "spark": frozenset({"timestampadd"}),
    "databricks": frozenset({"timestampadd"}),
}

#: DuckDB-only functions (file readers, list/struct helpers, ...): no warehouse has them.
DUCKDB_ONLY_FUNCTIONS = frozenset({
    "read_csv", "read_csv_auto", "read_parquet", "parquet_scan", "read_json", "read_json_auto",
    "read_ndjson", "glob", "list_value", "list_aggregate", "list_transform", "list_filter",
    "struct_pack", "epoch_ms", "epoch_us", "epoch_ns", "make_timestamp", "strftime", "strptime",
    "regexp_matches", "string_split", "str_split", "list_contains",
})

#: Functions neither Spark nor Databricks has (other warehouses' spellings).
_SPARK_DENIED = DUCKDB_ONLY_FUNCTIONS | frozenset({
    "countif", "farm_fingerprint", "datetime_diff", "datetime_add", "timestamp_diff",
    "timestamp_add", "timestamp_trunc", "safe_cast", "safe_divide", "format_timestamp", "parse_timestamp",
    "generate_array", "iff", "hash_agg", "to_varchar", "listagg", "len", "charindex", "zeroifnull", "div0",
    "epoch", "age",
})

#: Functions sqlglot writes back unchanged in a dialect that does not have them.
DENIED_FUNCTIONS: dict[str, frozenset[str]] = {
    "bigquery": DUCKDB_ONLY_FUNCTIONS | frozenset({
        "count_if", "datediff", "dateadd", "iff", "nvl", "nvl2", "hash", "zeroifnull",
        "try_cast", "to_varchar", "to_timestamp_ntz", "len", "charindex", "listagg",
    }),
    "snowflake": DUCKDB_ONLY_FUNCTIONS | frozenset({
        "countif", "farm_fingerprint", "unix_seconds", "unix_millis", "unix_micros",
        "datetime_diff", "datetime_add", "safe_cast", "safe_divide", "format_timestamp", "parse_timestamp", "generate_array",
    }),
    "spark": _SPARK_DENIED,
    "databricks": _SPARK_DENIED,
}

_SPARK_TYPES = frozenset({
    "boolean", "tinyint", "byte", "smallint", "short", "int", "integer", "bigint", "long", "float", "real",
    "double", "decimal", "dec", "numeric", "string", "varchar", "char", "binary", "date", "timestamp",
    "timestamp_ltz", "timestamp_ntz", "interval", "array", "map", "struct",
})

#: Type names (first word) that casts may use, per dialect.
VALID_TYPES: dict[str, frozenset[str]] = {
    "bigquery": frozenset({
        "int64", "int", "smallint", "integer", "bigint", "tinyint", "byteint", "numeric", "decimal",
        "bignumeric", "bigdecimal", "float64", "bool", "boolean", "string", "bytes", "date", "datetime",
        "time", "timestamp", "interval", "json", "array", "struct", "geography", "range",
    }),
    "snowflake": frozenset({
        "number", "decimal", "dec", "numeric", "int", "integer", "bigint", "smallint", "tinyint",
        "byteint", "float", "float4", "float8", "double", "real", "varchar", "char", "character",
        "nchar", "string", "text", "nvarchar", "nvarchar2", "binary", "varbinary", "boolean", "date",
        "datetime", "time", "timestamp", "timestamp_ltz", "timestamp_ntz", "timestamp_tz", "variant",
        "object", "array", "map", "geography", "geometry", "vector",
    }),
    "spark": _SPARK_TYPES,
    "databricks": _SPARK_TYPES | frozenset({"variant"}),
}

_CAST_FUNCTIONS = {"cast", "try_cast", "safe_cast"}
_BIGQUERY_DATETIME_FUNCTIONS = {"datetime_add", "datetime_sub", "datetime_diff", "datetime_trunc"}


@dataclass(frozen=True)
class Problem:
    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: [{self.rule}] {self.message}"


def _call_names(tokens: Sequence[sqlglot.tokens.Token]) -> list[str]:
    """Lower-case names of the function calls in a token stream (not cast types like number(38,0))."""
    names = []
    for token, following in zip(tokens, tokens[1:]):
        if (
            following.token_type == TokenType.L_PAREN
            and token.token_type not in (TokenType.L_PAREN, TokenType.R_PAREN, TokenType.COMMA)
            and token.token_type not in Parser.TYPE_TOKENS
            and token.token_type != TokenType.STRING
            and (token.text[:1].isalpha() or token.text[:1] == "_")
        ):
            names.append(token.text.lower())
    return names


def _cast_types(tokens: Sequence[sqlglot.tokens.Token]) -> list[str]:
    """The type names (first word, lower case) that cast/try_cast/safe_cast calls convert to."""
    types: list[str] = []
    stack: list[bool] = []  # one entry per open parenthesis: does it open a cast?
    previous = None
    for i, token in enumerate(tokens):
        if token.token_type == TokenType.L_PAREN:
            stack.append(previous is not None and previous.text.lower() in _CAST_FUNCTIONS)
        elif token.token_type == TokenType.R_PAREN:
            if stack:
                stack.pop()
        elif token.token_type == TokenType.ALIAS and stack and stack[-1] and i + 1 < len(tokens):
            types.append(tokens[i + 1].text.lower().split()[0])
        previous = token
    return types


def check_sql(sql: str, dialect: str, path: str = "<sql>", allow: Iterable[str] = ()) -> list[Problem]:
    """Every problem of ``sql`` (one or more statements) for ``dialect``."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r} (choose from {', '.join(DIALECTS)})")
    allowed = KNOWN_ANONYMOUS[dialect] | {name.lower() for name in allow}
    problems: list[Problem] = []

    def add(rule: str, message: str) -> None:
        problems.append(Problem(path, rule, message))

    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except (ParseError, TokenError) as exc:
        add("parse", f"not valid {dialect} SQL: {str(exc).splitlines()[0]}")
        return problems

    for name in sorted({n.name.lower() for s in statements for n in s.find_all(exp.Anonymous)} - allowed):
        add("unknown-function", f"{name}() is not a {dialect} function that sqlglot knows")

    written = ";\n".join(s.sql(dialect=dialect) for s in statements)
    names = _call_names(tokens)
    rewritten = set(names) - set(_call_names(sqlglot.Dialect.get_or_raise(dialect).tokenize(written)))
    for name in sorted(rewritten - allowed - NATIVE_SYNONYMS[dialect]):
        add("foreign-function", f"{name}() is another dialect's spelling; {dialect} writes it differently")

    for name in sorted(set(names) & DENIED_FUNCTIONS[dialect] - allowed - rewritten):
        add("denied-function", f"{name}() does not exist in {dialect}")

    for type_name in sorted(set(_cast_types(tokens)) - VALID_TYPES[dialect]):
        add("type", f"cast to '{type_name}', which is not a {dialect} type")

    for statement in statements:
        for group in statement.find_all(exp.Group):
            if group.args.get("all"):
                add("group-by-all", "'group by all' (list the grouping columns)")
        if dialect == "bigquery":
            for select in statement.find_all(exp.Select):
                if select.args.get("qualify") is not None and not any(
                    select.args.get(k) is not None for k in ("where", "group", "having")
                ):
                    add("qualify", "BigQuery needs a where, group by or having clause next to qualify")
            if any(True for _ in statement.find_all(exp.ILike)):
                add("ilike", "BigQuery has no ilike (use lower(x) like lower(pattern))")
        if dialect == "spark" and any(s.args.get("qualify") is not None for s in statement.find_all(exp.Select)):
            add("qualify", "Spark (4.1) does not parse QUALIFY (Databricks does): filter a ranked subquery")
        if dialect in ("spark", "databricks"):
            for window in statement.find_all(exp.Window):
                if any(True for _ in window.this.find_all(exp.Distinct)):
                    add("distinct-window", "Spark and Databricks have no DISTINCT window aggregates")
                    break
        if dialect in ("snowflake", "bigquery"):
            for window in statement.find_all(exp.Window):
                if window.args.get("order") is not None and any(True for _ in window.this.find_all(exp.Distinct)):
                    add("distinct-window", "Snowflake and BigQuery: no DISTINCT aggregate in an ordered window")
                    break

    lowered = [t.text.lower() for t in tokens]
    for i, text in enumerate(lowered):
        if text == "exclude" and i + 1 < len(lowered) and lowered[i + 1] in ("current", "group", "ties", "no"):
            add("window-exclude", "window frame 'exclude ...' is DuckDB/Postgres only")
            break
    if dialect == "bigquery":
        if any(t.token_type == TokenType.DCOLON for t in tokens):
            add("double-colon-cast", "'::' casts are not BigQuery SQL (use cast(x as type))")
        datetime_calls = sorted(set(names) & _BIGQUERY_DATETIME_FUNCTIONS)
        if datetime_calls or "datetime" in _cast_types(tokens):
            add(
                "bigquery-datetime",
                "DATETIME arithmetic (" + (", ".join(f"{n}()" for n in datetime_calls) or "cast as datetime")
                + "): this project's timestamps are TIMESTAMP, which BigQuery does not compare with DATETIME",
            )
    return problems


def sql_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.rglob("*.sql")))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(path)
    return files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dialect", required=True, choices=DIALECTS,
                        help="the warehouse whose SQL the files were compiled for (sqlglot's dialect)")
    parser.add_argument("--allow", action="append", default=[], metavar="FUNCTION",
                        help="a function the dialect has although sqlglot does not know it")
    parser.add_argument("paths", nargs="+", type=Path, help="compiled SQL files or directories (target/compiled)")
    args = parser.parse_args(argv)
    try:
        files = sql_files(args.paths)
    except FileNotFoundError as exc:
        print(f"check_compiled_sql: no such file or directory: {exc}", file=sys.stderr)
        return 2
    if not files:
        print(f"check_compiled_sql: no .sql files under {', '.join(map(str, args.paths))}", file=sys.stderr)
        return 2
    problems = [p for f in files for p in check_sql(f.read_text(encoding="utf-8"), args.dialect, str(f), args.allow)]
    for problem in problems:
        print(problem)
    bad = len({p.path for p in problems})
    print(f"check_compiled_sql: {args.dialect}: {len(files)} files checked, {bad} with problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
