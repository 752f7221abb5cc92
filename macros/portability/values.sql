{# Cast that gives null instead of an error on a bad value, on every engine. #}
{% macro try_cast_to(expr, type_name) %}
    {{ return(adapter.dispatch('try_cast_to', 'seller_standing')(expr, type_name)) }}
{% endmacro %}

{% macro default__try_cast_to(expr, type_name) -%}
    try_cast({{ expr }} as {{ type_name }})
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

{% macro default__text_to_integer(expr) -%}
    case when {{ expr }} rlike '^[+-]?[0-9]+([.]0*)?$' then try_cast({{ expr }} as bigint) end
{%- endmacro %}


{# Text values of named columns as one JSON object (for quarantined rows). #}
{% macro json_object_of(column_names) %}
    {{ return(adapter.dispatch('json_object_of', 'seller_standing')(column_names)) }}
{% endmacro %}

{% macro duckdb__json_object_of(column_names) -%}
    cast(json_object(
        {%- for name in column_names %}
        '{{ name }}', {{ adapter.quote(name) }}{{ "," if not loop.last }}
        {%- endfor %}
    ) as varchar)
{%- endmacro %}

{% macro default__json_object_of(column_names) -%}
    to_json(named_struct(
        {%- for name in column_names %}
        '{{ name }}', {{ adapter.quote(name) }}{{ "," if not loop.last }}
        {%- endfor %}
    ))
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
