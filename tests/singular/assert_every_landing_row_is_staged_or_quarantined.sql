{#-
    Nothing is lost: for every landing table, rows in the landing files = rows staged + rows
    quarantined. Returns the tables where the counts differ.
-#}
{%- set tables = var('landing_tables') -%}

with quarantined as (
    select
        table_name,
        count(*) as quarantined_rows
    from {{ ref('fct_quarantined_rows') }}
    group by table_name
),

counts as (
    {%- for table in tables %}
    select
        '{{ table }}' as table_name,
        (select count(*) from {{ source('landing', table) }}) as landing_rows,
        (select count(*) from {{ ref('stg_landing__' ~ table) }}) as staged_rows
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        counts.table_name,
        counts.landing_rows,
        counts.staged_rows,
        coalesce(quarantined.quarantined_rows, 0) as quarantined_rows
    from counts
    left join quarantined
        on counts.table_name = quarantined.table_name
    where counts.landing_rows != counts.staged_rows + coalesce(quarantined.quarantined_rows, 0)
)

select * from final
