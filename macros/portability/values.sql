{#
    Cast that gives null instead of an error on a bad value, on every engine. Text is cast only
    when it has one of the shapes both engines read the same way (the patterns below, one
    regular expression for DuckDB and Spark alike); anything else is null, so the row holding it
    is quarantined on both. Without the gate DuckDB alone reads 'infinity', 'epoch', a signed or
    five-digit year, '0x1F' or a non-breaking space, and Spark alone reads Arabic-Indic or
    full-width digits and '1d' as numbers.
#}
{% macro try_cast_to(expr, type_name) %}
    {{ return(adapter.dispatch('try_cast_to', 'seller_standing')(expr, type_name)) }}
{% endmacro %}

{# The shared gate: the pattern a text must match to be cast to type_name (none: no gate). #}
{% macro cast_text_pattern(type_name) -%}
    {%- set type_name = type_name | lower | replace(' ', '') -%}
    {%- if type_name == 'date' -%}{{ return(iso_timestamp_pattern()) }}
    {%- elif type_name == 'timestamp' -%}{{ return(iso_local_timestamp_pattern()) }}
    {%- elif type_name.startswith('decimal') or type_name.startswith('numeric') or type_name in ['double', 'float', 'real'] -%}
        {{ return(decimal_text_pattern()) }}
    {%- elif type_name in ['bigint', 'integer', 'int', 'smallint', 'tinyint'] -%}
        {{ return("'^ *[+-]?[0-9]+ *$'") }}
    {%- else -%}{{ return(none) }}
    {%- endif -%}
{%- endmacro %}

{# A decimal number in ASCII digits: sign, digits with '.' and '_' (DuckDB reads '1_000.50'
   as 1000.50; Spark is taught below), an optional exponent. #}
{% macro decimal_text_pattern() -%}
    '^ *[+-]?[0-9._]+([eE][+-]?[0-9]+)? *$'
{%- endmacro %}

{# Does the text match the regular expression (RE2 on DuckDB, Java on Spark: the patterns here
   use only what both read the same: classes of ASCII characters, alternation, no
   back-references)? #}
{% macro text_matches(expr, pattern) %}
    {{ return(adapter.dispatch('text_matches', 'seller_standing')(expr, pattern)) }}
{% endmacro %}

{% macro duckdb__text_matches(expr, pattern) -%}
    regexp_matches({{ expr }}, {{ pattern }})
{%- endmacro %}

{% macro default__text_matches(expr, pattern) -%}
    ({{ expr }} rlike {{ pattern }})
{%- endmacro %}

{% macro default__try_cast_to(expr, type_name) -%}
    {%- set pattern = cast_text_pattern(type_name) -%}
    {%- if pattern -%}
    case when {{ text_matches(expr, pattern) }} then try_cast({{ expr }} as {{ type_name }}) end
    {%- else -%}
    try_cast({{ expr }} as {{ type_name }})
    {%- endif -%}
{%- endmacro %}

{# Spark, after the shared gate: the shapes DuckDB reads besides ISO 8601 dashes (spark_iso_text:
   '2025/01/05' and a time of 24:00 read as DuckDB reads them). #}
{% macro spark__try_cast_to(expr, type_name) -%}
    {%- set pattern = cast_text_pattern(type_name) -%}
    {%- set type_lower = type_name | lower | replace(' ', '') -%}
    {%- if type_lower == 'date' -%}
    {%- set text = spark_dashed_date_text(expr) -%}
    {#- a time after the date must be a valid one, as DuckDB checks (Spark reads only the date) -#}
    case
        when {{ text_matches(expr, pattern) }}
            and {{ text }} rlike '^ *[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}($|[T ](([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?|24:00(:00([.]0*)?)?)([^0-9.:]|$))'
            then try_cast({{ text }} as date)
    end
    {%- elif type_lower == 'timestamp' -%}
    case when {{ text_matches(expr, pattern) }} then try_cast({{ spark_iso_text(expr) }} as timestamp) end
    {%- elif type_lower.startswith('decimal') or type_lower in ['double', 'float', 'real'] -%}
    {#- DuckDB reads '1_000.5' (an underscore between two digits) as 1000.5; Spark does not -#}
    try_cast(
        case
            when {{ text_matches(expr, pattern) }} and {{ expr }} not rlike '(^|[^0-9])_|_([^0-9]|$)'
                then replace({{ expr }}, '_', '')
        end
        as {{ type_name }}
    )
    {%- elif pattern -%}
    case when {{ text_matches(expr, pattern) }} then try_cast({{ expr }} as {{ type_name }}) end
    {%- else -%}
    try_cast({{ expr }} as {{ type_name }})
    {%- endif -%}
{%- endmacro %}


{#
    Text without the spaces around it: DuckDB's trim() strips every Unicode space separator
    (category Zs: the space, the no-break space U+00A0, U+2000..U+200A, the ideographic
    space U+3000, ...), Spark's only U+0020; on Spark the same 17 characters are listed.
#}
{% macro trim_text(expr) %}
    {{ return(adapter.dispatch('trim_text', 'seller_standing')(expr)) }}
{% endmacro %}

{% macro duckdb__trim_text(expr) -%}
    trim({{ expr }})
{%- endmacro %}

{% macro default__trim_text(expr) -%}
    trim(BOTH '\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000' FROM {{ expr }})
{%- endmacro %}


{#
    Text to a whole number, or null. A cast to an integer type rounds '2.5' to 3; here only
    digits (optionally signed, optionally followed by '.0') are numbers, so a fractional value
    is never rounded but rejected (and its row quarantined).
#}
{% macro text_to_integer(expr) %}
    {{ return(adapter.dispatch('text_to_integer', 'seller_standing')(expr)) }}
{% endmacro %}

{% macro duckdb__text_to_integer(expr) -%}
    case when regexp_full_match({{ expr }}, '[+-]?[0-9]+([.]0*)?') then try_cast({{ expr }} as bigint) end
{%- endmacro %}

{# Spark's try_cast gives null for '2.0' as bigint: the zero fraction is dropped first. #}
{% macro default__text_to_integer(expr) -%}
    case
        when {{ expr }} rlike '^[+-]?[0-9]+([.]0*)?$'
            then try_cast(regexp_replace({{ expr }}, '[.]0*$', '') as bigint)
    end
{%- endmacro %}


{# Text values of named columns as one JSON object (for quarantined rows): key = column name,
   value = the column `<prefix><name>`. #}
{% macro json_object_of(column_names, prefix='') %}
    {{ return(adapter.dispatch('json_object_of', 'seller_standing')(column_names, prefix)) }}
{% endmacro %}

{% macro duckdb__json_object_of(column_names, prefix='') -%}
    cast(json_object(
        {%- for name in column_names %}
        '{{ name }}', {{ adapter.quote(prefix ~ name) }}{{ "," if not loop.last }}
        {%- endfor %}
    ) as varchar)
{%- endmacro %}

{# Spark's to_json drops null fields unless told not to; DuckDB's json_object keeps them. #}
{% macro default__json_object_of(column_names, prefix='') -%}
    to_json(named_struct(
        {%- for name in column_names %}
        '{{ name }}', {{ adapter.quote(prefix ~ name) }}{{ "," if not loop.last }}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{%- endmacro %}


{# Stable text key of several columns (md5 of their values joined by '|'). #}
{% macro surrogate_key(expressions) -%}
    {{ dbt.hash(dbt.concat(surrogate_key_parts(expressions))) }}
{%- endmacro %}

{% macro surrogate_key_parts(expressions) %}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ return(parts) }}
{% endmacro %}


{#
    dbt.listagg on Spark (dbt-spark's spark__listagg) ignores its `order by`. This override
    (the root project's spark__listagg wins over the adapter's) sorts by the order expression,
    skips nulls and gives null for no values, as DuckDB's string_agg does.
#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set order_expr = (order_by_clause or '').strip() -%}
    {%- if order_expr[:8] | lower == 'order by' -%}{%- set order_expr = order_expr[8:].strip() -%}{%- endif -%}
    {%- if order_expr == '' -%}{%- set order_expr = measure -%}{%- endif -%}
    {%- set sorted = 'array_sort(collect_list(case when (' ~ measure ~ ') is not null then named_struct('
        ~ "'k', " ~ order_expr ~ ", 'v', cast(" ~ measure ~ ' as string)) end))' -%}
    {%- if limit_num -%}{%- set sorted = 'slice(' ~ sorted ~ ', 1, ' ~ limit_num ~ ')' -%}{%- endif -%}
    nullif(array_join(transform({{ sorted }}, x -> x.v), {{ delimiter_text }}), '')
{%- endmacro %}


{#
    The marts' contracts say `varchar` (DuckDB's text type); Spark has no `varchar` without a
    length, its text type is `string`. dbt checks a contract by casting null to each declared
    type (dbt.cast): on Spark `varchar` is read as `string`, so the same YAML holds on both.
#}
{% macro spark__cast(field, type) -%}
    {%- set spark_type = 'string' if (type | string | trim | lower) == 'varchar' else type -%}
    cast({{ field }} as {{ spark_type }})
{%- endmacro %}


{#
    Seeds declare `varchar` columns (column_types); dbt-spark creates and fills a seed table with
    those types as written. On Spark they become `string` (the seeds' YAML stays one for both
    engines); then dbt-spark's own seed macros (internal macros live in the `dbt` namespace) run.
#}
{% macro spark_seed_column_types(model) %}
    {%- set column_types = model['config'].get('column_types') or {} -%}
    {%- for name, type in column_types.items() if (type | string | trim | lower) == 'varchar' -%}
        {%- do column_types.update({name: 'string'}) -%}
    {%- endfor -%}
{% endmacro %}

{% macro spark__create_csv_table(model, agate_table) %}
    {%- do spark_seed_column_types(model) -%}
    {{ return(dbt.spark__create_csv_table(model, agate_table)) }}
{% endmacro %}

{#
    dbt-spark's session method fills a seed through bound parameters and does not escape a
    quote in a value (a holiday "King's Day" breaks the insert): the values are written as
    Spark string literals (backslash escapes) instead, cast to the seed's column types.
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- do spark_seed_column_types(model) -%}
    {%- set column_override = model['config'].get('column_types') or {} -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set rows_sql = [] -%}
        {%- for row in chunk -%}
            {%- set cells = [] -%}
            {%- for value in row -%}
                {%- if value is none -%}
                    {%- do cells.append('cast(null as ' ~ types[loop.index0] ~ ')') -%}
                {%- else -%}
                    {%- set text = (value | string).replace('\\', '\\\\').replace("'", "\\'") -%}
                    {%- do cells.append("cast('" ~ text ~ "' as " ~ types[loop.index0] ~ ')') -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do rows_sql.append('(' ~ cells | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' values ' ~ rows_sql | join(', ') -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}


{#
    Enforced contracts with `not_null` constraints: Spark cannot alter a Parquet table's column
    to NOT NULL, so dbt-spark's ALTER fails. On Spark the constraint is checked instead, in one
    query per table right after the table is built: a null in such a column fails the model,
    as the NOT NULL column does on DuckDB. (Other constraint types are only declared there.)
#}
{% macro spark__alter_column_set_constraints(relation, column_dict) %}
    {%- set not_null = [] -%}
    {%- for column_name in column_dict -%}
        {%- for constraint in column_dict[column_name]['constraints'] if constraint.type == 'not_null' -%}
            {%- do not_null.append(column_name) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if not_null -%}
        {%- set parts = [] -%}
        {%- for name in not_null -%}
            {%- do parts.append('count_if(' ~ adapter.quote(name) ~ ' is null) as ' ~ adapter.quote(name)) -%}
        {%- endfor -%}
        {%- set result = run_query('select ' ~ parts | join(', ') ~ ' from ' ~ relation) -%}
        {%- for name in not_null -%}
            {%- if result.rows[0][loop.index0] > 0 -%}
                {{ exceptions.raise_compiler_error(
                    "Contract of " ~ relation ~ ": column " ~ name ~ " is declared not_null but has "
                    ~ result.rows[0][loop.index0] ~ " null values."
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}


{#
    Sum of a numeric expression that does not depend on the order rows are added in: each
    value is cast to a fixed-point decimal first. A sum of doubles does depend on that order
    (threads add their rows in any order), so the same rows could give sums differing in the
    last bits between two runs. The result is decimal(38, 18); cast it where a double is needed.
#}
{% macro exact_sum(expression) -%}
    sum(cast({{ expression }} as decimal(38, 18)))
{%- endmacro %}
