{#- One status per seller, program and period, and status validity windows never overlap. -#}
with statuses as (
    select * from {{ ref('fct_program_status') }}
),

overlapping_windows as (
    select
        earlier.marketplace,
        earlier.seller_id,
        earlier.program_id,
        earlier.period_start,
        later.period_start as later_period_start
    from statuses as earlier
    inner join statuses as later
        on
            earlier.marketplace = later.marketplace
            and earlier.seller_id = later.seller_id
            and earlier.program_id = later.program_id
            and earlier.period_start < later.period_start
            and earlier.valid_to >= later.valid_from
)

select * from overlapping_windows
