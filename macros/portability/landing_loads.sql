{#
    The incremental side of the landing load models (models/staging/landing/load/), per engine.

    DuckDB (default__): a load model appends only the files it does not hold yet and its
    pre-hook deletes the rows of files that changed, are gone, or were loaded under another
    contract version.

    Spark (spark__): Parquet tables have no `delete` or `merge`, so every build is a full
    reload: the model holds nothing worth keeping (landing_files_loaded is empty, so
    `landing.<table>__new_files` is every file), and the pre-hook empties the table before
    the rows of every file are appended again.
#}


{#
    What a load model reads: the rows of its landing source's files not loaded yet.

    Spark (default__): the view landing.<table>__new_files.
    DuckDB: the same rows, read from the text copies its pre-hook made (copy_landing_text):
    a subquery, one select per new file as landing.<table>__new_files has them, numbered
    without a single-threaded window (see landing_file_select). When the model is only
    parsed or compiled for docs, the view.
#}
{% macro landing_new_files(landing_source) %}
    {{- return(adapter.dispatch('landing_new_files', 'seller_standing')(landing_source)) -}}
{% endmacro %}

{% macro default__landing_new_files(landing_source) %}
    {{- return(landing_source.incorporate(path={'identifier': landing_source.identifier ~ '__new_files'})) -}}
{% endmacro %}

{% macro duckdb__landing_new_files(landing_source) %}
    {%- if not execute -%}{{ return(default__landing_new_files(landing_source)) }}{%- endif -%}
    {%- set selects = [] -%}
    {%- for row in landing_reads(landing_source.identifier) -%}
        {%- do selects.append(row[1]) -%}
    {%- endfor -%}
    {%- if not selects -%}{{ return(default__landing_new_files(landing_source)) }}{%- endif -%}
    {{- return('(\n' ~ selects | join('\nunion all\n') ~ '\n)') -}}
{% endmacro %}


{# (copy_sql, select_sql, position) of each new file of a landing table, as the on-run-start hook wrote them. #}
{% macro landing_reads(table_name) %}
    {%- set relation = adapter.get_relation(database=target.database, schema='landing',
        identifier='_landing_reads') -%}
    {%- if relation is none -%}{{ return([]) }}{%- endif -%}
    {{ return(run_query('select copy_sql, select_sql, position from ' ~ relation ~ ' where table_name = '
        ~ sql_string(table_name) ~ ' order by position').rows) }}
{% endmacro %}


{#
    Pre-hook of a load model: copy the text of each new CSV file into its temporary table
    (landing_file_select); post-hook: drop those tables. On Spark, nothing.
#}
{% macro copy_landing_text() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {{ return(adapter.dispatch('copy_landing_text', 'seller_standing')()) }}
{% endmacro %}

{% macro default__copy_landing_text() %}{{ return('') }}{% endmacro %}

{% macro duckdb__copy_landing_text() %}
    {%- set statements = [] -%}
    {%- for row in landing_reads(this.identifier.replace('load_landing__', '')) if row[0] -%}
        {%- do statements.append(row[0]) -%}
    {%- endfor -%}
    {{ return(statements | join(';\n')) }}
{% endmacro %}

{% macro drop_landing_text() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {{ return(adapter.dispatch('drop_landing_text', 'seller_standing')()) }}
{% endmacro %}

{% macro default__drop_landing_text() %}{{ return('') }}{% endmacro %}

{% macro duckdb__drop_landing_text() %}
    {%- set table_name = this.identifier.replace('load_landing__', '') -%}
    {%- set statements = [] -%}
    {%- for row in landing_reads(table_name) if row[0] -%}
        {%- do statements.append('drop table if exists temp.main.' ~ landing_text_table(table_name, row[2])) -%}
    {%- endfor -%}
    {{ return(statements | join(';\n')) }}
{% endmacro %}


{#
    {source_file: (size, modified, hash, load_version)} of the files the load model of a
    landing table holds; empty on --full-refresh or before its first run.
#}
{% macro landing_files_loaded(table_name) %}
    {{ return(adapter.dispatch('landing_files_loaded', 'seller_standing')(table_name)) }}
{% endmacro %}

{% macro default__landing_files_loaded(table_name) %}
    {%- set loaded = {} -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.load_landing__' ~ table_name) -%}
    {%- if node is none or flags.FULL_REFRESH -%}{{ return(loaded) }}{%- endif -%}
    {%- set relation = adapter.get_relation(
        database=node.database, schema=node.schema, identifier=node.alias) -%}
    {%- if relation is none -%}{{ return(loaded) }}{%- endif -%}
    {%- for row in run_query(
        'select distinct _source_file, _file_size, _file_modified, _file_hash, _load_version from '
        ~ relation) -%}
        {%- do loaded.update({row[0]: (row[1], row[2], row[3], row[4])}) -%}
    {%- endfor -%}
    {{ return(loaded) }}
{% endmacro %}

{% macro spark__landing_files_loaded(table_name) %}
    {{ return({}) }}
{% endmacro %}


{#
    Pre-hook of a load model: take out the rows of files that are gone, changed, or loaded
    under another contract version (their new content, if any, is in the landing view).
#}
{% macro withdraw_landing_files() %}
    {%- if not execute or not is_incremental() -%}{{ return('') }}{%- endif -%}
    {{ return(adapter.dispatch('withdraw_landing_files', 'seller_standing')()) }}
{% endmacro %}

{% macro default__withdraw_landing_files() %}
    {%- set table_name = this.identifier.replace('load_landing__', '') -%}
    delete from {{ this }}
    where _source_file || '|' || _file_hash || '|' || _load_version not in (
        select source_file || '|' || file_hash || '|' || load_version
        from landing._landing_files
        where table_name = {{ sql_string(table_name) }}
    )
{% endmacro %}

{#- Every file is loaded again (landing.<table>__new_files is every file): empty the table. -#}
{% macro spark__withdraw_landing_files() %}
    truncate table {{ this }}
{% endmacro %}
