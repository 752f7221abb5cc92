{#- Landing rows that were not staged, for users to query: what, where and why. -#}
with quarantined as (
    select * from {{ ref('stg_landing__quarantined_rows') }}
),

final as (
    select
        quarantined_row_id,
        table_name,
        marketplace,
        source_file,
        cast(source_row as bigint) as source_row,
        original_values,
        reason
    from quarantined
)

select * from final
