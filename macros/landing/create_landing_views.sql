{#
    on-run-start hook: make every landing table of the contract a view in schema `landing`.

    For each table folder under the landing root it lists the CSV and Parquet files, checks
    each file's header against the contract, and unions the files into one view of text
    columns (every contract column, absent optional ones as null) plus `_source_file`
    (path relative to the landing root) and `_source_row` (1-based data row of the file).
    Parsing and type checks happen in the staging base models, so a bad value becomes a
    quarantined row, not a failed load.

    Stops the build, naming the file and column and what to do, when:
      - a required column is missing from a file's header;
      - a table that must have data (sellers, orders) has no files.
    Reports, and otherwise ignores, extra columns and empty (0-byte) files.
#}
{% macro create_landing_views() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {{ return(adapter.dispatch('create_landing_views', 'seller_standing')()) }}
{% endmacro %}


{% macro duckdb__create_landing_views() %}
    {%- set root = landing_raw_dir() -%}
    {%- do run_query('create schema if not exists landing') -%}
    {%- set notes = [] -%}
    {%- for node in landing_tables() -%}
        {%- set table_meta = landing_meta(node) -%}
        {%- set columns = landing_columns(node) -%}
        {%- set folder = root ~ '/' ~ node.name -%}
        {%- set listing = run_query(
            "select filename, size from read_blob([" ~ sql_string(folder ~ '/*.csv') ~ ", "
            ~ sql_string(folder ~ '/*.parquet') ~ "]) order by filename"
        ) -%}
        {%- set selects = [] -%}
        {%- for row in listing -%}
            {%- set path = row[0] -%}
            {%- set rel = path[root | length + 1:] -%}
            {%- if row[1] == 0 -%}
                {%- do notes.append(rel ~ ': empty file (0 bytes), read as no rows') -%}
            {%- else -%}
                {%- do selects.append(landing_file_select(node, columns, path, rel, notes)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if selects | length == 0 and table_meta.get('files_required') -%}
            {{ exceptions.raise_compiler_error(
                "Landing table '" ~ node.name ~ "' has no data: no CSV or Parquet file with rows in "
                ~ folder ~ "/. Every build needs " ~ node.name ~ ". Export it there (one or more "
                ~ "*.csv or *.parquet files), or point SELLER_STANDING_RAW_DIR at the folder that "
                ~ "holds your exports."
            ) }}
        {%- endif -%}
        {%- if selects | length == 0 -%}
            {%- set cols_sql = [] -%}
            {%- for name, meta in columns -%}
                {%- do cols_sql.append('cast(null as varchar) as ' ~ adapter.quote(name)) -%}
            {%- endfor -%}
            {%- do selects.append('select ' ~ cols_sql | join(', ')
                ~ ', cast(null as varchar) as _source_file, cast(null as bigint) as _source_row where false') -%}
        {%- endif -%}
        {%- do run_query('create or replace view landing.' ~ node.name ~ ' as\n'
            ~ selects | join('\nunion all\n')) -%}
    {%- endfor -%}
    {%- do run_query('create or replace table landing._load_notes (note varchar)') -%}
    {%- for note in notes -%}
        {{ log('landing: ' ~ note, info=true) }}
        {%- do run_query('insert into landing._load_notes values (' ~ sql_string(note) ~ ')') -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}


{% macro landing_reader(path) %}
    {%- if path.endswith('.parquet') -%}
        read_parquet({{ sql_string(path) }})
    {%- else -%}
        read_csv({{ sql_string(path) }}, header = true, all_varchar = true, delim = ',',
            quote = '"', escape = '"', auto_detect = true, sample_size = -1)
    {%- endif -%}
{% endmacro %}


{% macro landing_file_select(node, columns, path, rel, notes) %}
    {#- One file of a landing table: check its header, return its select. -#}
    {%- set described = run_query('describe select * from ' ~ landing_reader(path)) -%}
    {%- set present = {} -%}
    {%- for row in described -%}
        {%- do present.update({row[0] | lower: row[0]}) -%}
    {%- endfor -%}
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
    {%- set cols_sql = [] -%}
    {%- for name, meta in columns -%}
        {%- if name in present -%}
            {%- do cols_sql.append('cast(' ~ adapter.quote(present[name]) ~ ' as varchar) as ' ~ adapter.quote(name)) -%}
        {%- else -%}
            {%- do cols_sql.append('cast(null as varchar) as ' ~ adapter.quote(name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('select ' ~ cols_sql | join(', ') ~ ', ' ~ sql_string(rel) ~ ' as _source_file, '
        ~ 'row_number() over () as _source_row from ' ~ landing_reader(path)) }}
{% endmacro %}
