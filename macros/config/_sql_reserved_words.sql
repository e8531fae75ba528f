{#-
    Words that cannot name a column unquoted on some supported engine: the union
    of DuckDB's reserved and type/function keywords that fail as a column
    (duckdb_keywords(), each tried in a select list, a comparison and a window),
    BigQuery's reserved keywords and Snowflake's reserved keywords. Attribute
    names are written unquoted in every model and test, so attributes() refuses these.
-#}
{% macro _sql_reserved_words() -%}
    {{- return([
        'account', 'all', 'alter', 'analyse', 'analyze', 'and', 'anti', 'any', 'array', 'as', 'asc', 'asof',
        'assert_rows_modified', 'asymmetric', 'at', 'authorization', 'between', 'binary', 'both', 'by',
        'case', 'cast', 'check', 'collate', 'collation', 'column', 'concurrently', 'connect', 'connection',
        'constraint', 'contains', 'create', 'cross', 'cube', 'current', 'current_date', 'current_time',
        'current_timestamp', 'current_user', 'database', 'default', 'deferrable', 'define', 'delete', 'desc',
        'describe', 'distinct', 'do', 'drop', 'else', 'end', 'enum', 'escape', 'except', 'exclude', 'exists',
        'extract', 'false', 'fetch', 'following', 'for', 'foreign', 'freeze', 'from', 'full', 'glob', 'grant',
        'group', 'grouping', 'groups', 'gscluster', 'hash', 'having', 'if', 'ignore', 'ilike', 'in',
        'increment', 'initially', 'inner', 'insert', 'intersect', 'interval', 'into', 'is', 'isnull', 'issue',
        'join', 'lambda', 'lateral', 'leading', 'left', 'like', 'limit', 'localtime', 'localtimestamp',
        'lookup', 'merge', 'minus', 'natural', 'new', 'no', 'not', 'notnull', 'null', 'nulls', 'of', 'offset',
        'on', 'only', 'or', 'order', 'organization', 'outer', 'over', 'overlaps', 'partition', 'pivot',
        'pivot_longer', 'pivot_wider', 'placing', 'positional', 'preceding', 'primary', 'proto', 'qualify',
        'range', 'recursive', 'references', 'regexp', 'respect', 'returning', 'revoke', 'right', 'rlike',
        'rollup', 'row', 'rows', 'sample', 'schema', 'select', 'semi', 'set', 'show', 'similar', 'some',
        'start', 'struct', 'summarize', 'symmetric', 'table', 'tablesample', 'then', 'to', 'trailing',
        'treat', 'trigger', 'true', 'try_cast', 'unbounded', 'union', 'unique', 'unnest', 'unpack', 'unpivot',
        'update', 'using', 'values', 'variadic', 'verbose', 'view', 'when', 'whenever', 'where', 'window',
        'with', 'within'
    ]) -}}
{%- endmacro %}
