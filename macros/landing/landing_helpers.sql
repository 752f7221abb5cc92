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
