{#
    Helpers that read the landing contract declared in
    models/staging/landing/_landing__sources.yml (column meta: type, required, values or
    values_from_var, min, max;
    table meta: key, files_required). The YAML is the one place the contract lives.
#}

{% macro landing_raw_dir() %}
    {%- set dir = env_var('SELLER_STANDING_RAW_DIR', '') or var('raw_dir') -%}
    {{- return(dir.rstrip('/')) -}}
{% endmacro %}


{% macro landing_tables() %}
    {#- The landing source tables, in the order they are declared. -#}
    {%- set tables = [] -%}
    {%- for node in graph.sources.values() if node.source_name == 'landing' -%}
        {%- do tables.append(node) -%}
    {%- endfor -%}
    {{- return(tables) -}}
{% endmacro %}


{% macro landing_table(name) %}
    {%- for node in graph.sources.values() if node.source_name == 'landing' and node.name == name -%}
        {{- return(node) -}}
    {%- endfor -%}
    {{- exceptions.raise_compiler_error("No landing table '" ~ name ~ "' is declared in _landing__sources.yml") -}}
{% endmacro %}


{% macro landing_meta(item) %}
    {#- Column or table meta, wherever this dbt version keeps it. -#}
    {%- set meta = {} -%}
    {%- if item.meta -%}{%- do meta.update(item.meta) -%}{%- endif -%}
    {%- if item.config is defined and item.config and item.config.meta -%}
        {%- do meta.update(item.config.meta) -%}
    {%- endif -%}
    {#- `values_from_var: <var>`: the allowed values are the keys of that var (the marketplace
        list lives once, in var marketplace_timezones). -#}
    {%- if meta.get('values_from_var') -%}
        {%- do meta.update({'values': var(meta['values_from_var']).keys() | list}) -%}
    {%- endif -%}
    {{- return(meta) -}}
{% endmacro %}


{% macro landing_columns(node) %}
    {#- [(name, meta)] of a landing table, in contract order. -#}
    {%- set cols = [] -%}
    {%- for col in node.columns.values() -%}
        {%- do cols.append((col.name, landing_meta(col))) -%}
    {%- endfor -%}
    {{- return(cols) -}}
{% endmacro %}


{% macro sql_string(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}


{#
    A landing file's header against its table's contract (`present`: lower-case name -> name
    as written): a missing required column stops the build naming the file; a column the
    contract does not know is noted and ignored. The same on every engine.
#}
{% macro check_landing_header(node, columns, present, rel, notes) %}
    {%- set expected = [] -%}
    {%- set required = [] -%}
    {%- for name, meta in columns if meta.get('required') -%}{%- do required.append(name) -%}{%- endfor -%}
    {%- for name, meta in columns -%}
        {%- do expected.append(name) -%}
        {%- if meta.get('required') and name not in present -%}
            {{ exceptions.raise_compiler_error(
                "Landing file " ~ rel ~ " has no column '" ~ name ~ "', which table '"
                ~ node.name ~ "' requires. Its header has: " ~ (present.values() | list | join(', '))
                ~ ". Required columns: " ~ required | join(', ')
                ~ ". Re-export the file with that column (check its spelling), or move the file out of the landing folder."
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- for lower_name, name in present.items() if lower_name not in expected -%}
        {%- do notes.append(rel ~ ": column '" ~ name ~ "' is not in the contract of " ~ node.name ~ "; ignored") -%}
    {%- endfor -%}
{% endmacro %}


{#
    Which reader a landing file gets from its name: 'parquet', 'csv' (also .csv.gz and
    .csv.zst), or '' for a file the build does not read (hidden files start with '.').
    Mirrors seller_standing/preflight.py, which says what happens to every other file.
#}
{% macro landing_file_kind(path) %}
    {%- set name = path.split('/')[-1] -%}
    {%- set lower = name | lower -%}
    {%- if name.startswith('.') -%}{{ return('') }}
    {%- elif lower.endswith('.parquet') -%}{{ return('parquet') }}
    {%- elif lower.endswith('.csv') or lower.endswith('.csv.gz') or lower.endswith('.csv.zst') -%}
        {{ return('csv') }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}


{#
    Version of a table's contract, as the load model applies it: files loaded under another
    version are parsed again (a changed type, allowed value or range changes what is
    quarantined).
#}
{% macro landing_load_version(node, columns, table_meta) %}
    {{ return(local_md5(tojson([columns, table_meta, var('marketplace_timezones')]))[:12]) }}
{% endmacro %}


{# Stops the build when a table that must have data (sellers, orders) has no file with rows. #}
{% macro require_landing_files(node, table_meta, folder, file_count) %}
    {%- if file_count == 0 and table_meta.get('files_required') -%}
        {{ exceptions.raise_compiler_error(
            "Landing table '" ~ node.name ~ "' has no data: no CSV or Parquet file with rows in "
            ~ folder ~ "/. Every build needs " ~ node.name ~ ". Export it there (one or more "
            ~ "*.csv or *.parquet files), or point SELLER_STANDING_RAW_DIR at the folder that "
            ~ "holds your exports."
        ) }}
    {%- endif -%}
{% endmacro %}


{# A select of no rows with the columns of a landing view (text_type: the engine's text type). #}
{% macro landing_no_rows(columns, text_type) %}
    {%- set cols_sql = [] -%}
    {%- for name, meta in columns -%}
        {%- do cols_sql.append('cast(null as ' ~ text_type ~ ') as ' ~ adapter.quote(name)) -%}
    {%- endfor -%}
    {{ return('select ' ~ cols_sql | join(', ')
        ~ ', cast(null as ' ~ text_type ~ ') as _source_file, cast(null as bigint) as _source_row'
        ~ ', cast(null as bigint) as _file_size, cast(null as ' ~ text_type ~ ') as _file_modified'
        ~ ', cast(null as ' ~ text_type ~ ') as _file_hash, cast(null as ' ~ text_type
        ~ ') as _load_version where false') }}
{% endmacro %}
