{#- Every landing row that was not staged, with its table, file, row, values and reason. -#}
{%- set tables = var('landing_tables') -%}

with
{% for table in tables %}
{{ table }} as (
    select
        '{{ table }}' as table_name,
        marketplace,
        _source_file as source_file,
        _source_row as source_row,
        _original_values as original_values,
        _quarantine_reason as reason
    from {{ ref('base_landing__' ~ table) }}
    where _quarantine_reason is not null
),
{% endfor %}

unioned as (
    {%- for table in tables %}
    select * from {{ table }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ surrogate_key(['table_name', 'source_file', 'source_row']) }} as quarantined_row_id,
        table_name,
        marketplace,
        source_file,
        source_row,
        original_values,
        reason
    from unioned
)

select * from final
