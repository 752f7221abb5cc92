{#-
    Nothing is lost: for every landing table and every landing file, rows read from the file
    = rows staged + rows quarantined. Rows read are the rows of the base model, which loads
    each landing row once (one row per file and data row, tested unique) and filters none;
    counting them there keeps this test from parsing the landing files a second time.
    Returns the files where the counts differ.
-#}
{%- set tables = var('landing_tables') -%}

with quarantined as (
    select
        table_name,
        source_file,
        count(*) as quarantined_rows
    from {{ ref('fct_quarantined_rows') }}
    group by table_name, source_file
),

read_rows as (
    {%- for table in tables %}
    select
        '{{ table }}' as table_name,
        _source_file as source_file,
        count(*) as landing_rows
    from {{ ref('base_landing__' ~ table) }}
    group by _source_file
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

staged as (
    {%- for table in tables %}
    select
        '{{ table }}' as table_name,
        _source_file as source_file,
        count(*) as staged_rows
    from {{ ref('stg_landing__' ~ table) }}
    group by _source_file
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        coalesce(read_rows.table_name, staged.table_name, quarantined.table_name) as table_name,
        coalesce(read_rows.source_file, staged.source_file, quarantined.source_file) as source_file,
        coalesce(read_rows.landing_rows, 0) as landing_rows,
        coalesce(staged.staged_rows, 0) as staged_rows,
        coalesce(quarantined.quarantined_rows, 0) as quarantined_rows
    from read_rows
    full outer join staged
        on
            read_rows.table_name = staged.table_name
            and read_rows.source_file = staged.source_file
    full outer join quarantined
        on
            coalesce(read_rows.table_name, staged.table_name) = quarantined.table_name
            and coalesce(read_rows.source_file, staged.source_file) = quarantined.source_file
)

select * from final
where landing_rows != staged_rows + quarantined_rows
