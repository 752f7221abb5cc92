{#-
    The complete calendar months to evaluate, per seller: from the later of the seller's
    registration month and the first month of its marketplace's orders, to the earlier of the
    last month of its marketplace's orders and the last month that ended before
    evaluation_date. Months are local months of the seller's time zone.
-#}
with sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

orders as (
    select * from {{ ref('stg_landing__orders') }}
),

days as (
    select * from {{ ref('int_calendar_days_spined') }}
),

{{ seller_periods('month', 'orders', 'ordered_at_local') }},

final as (
    select
        marketplace,
        seller_id,
        effective_timezone,
        period_start,
        period_end
    from seller_periods
)

select * from final
