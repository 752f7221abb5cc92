{#
    Import CTEs for each program's model, then a CTE `unioned` with `columns` of each, in
    order. `optional` maps a column to the models that have it; the others give
    `cast(null as <type>)` (types in `optional_types`). Used by the marts that gather every
    program's metrics, statuses and fee lines.
#}
{% macro union_program_models(models, columns, optional={}, optional_types={}) %}
{%- for model in models %}
{{ model }} as (
    select * from {{ ref(model) }}
),
{% endfor %}
unioned as (
    {%- for model in models %}
    select
        {%- for column in columns %}
        {%- if column in optional and model not in optional[column] %}
        cast(null as {{ optional_types[column] }}) as {{ column }}{{ "," if not loop.last }}
        {%- else %}
        {{ column }}{{ "," if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from {{ model }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)
{% endmacro %}


{#
    The intermediate models of one kind (`metrics`, `statuses` or `fee_lines`) of every
    program in the `programs` var, in the var's order: the one list the marts union.
#}
{% macro program_models(kind) %}
    {%- set models = [] -%}
    {%- for program_id, program in var('programs').items() -%}
        {%- do models.extend(program.get(kind, [])) -%}
    {%- endfor -%}
    {{ return(models) }}
{% endmacro %}
