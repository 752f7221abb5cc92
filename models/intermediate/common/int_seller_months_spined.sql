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

months as (
    select distinct month_start from days
),

marketplace_windows as (
    select
        marketplace,
        cast(min({{ dbt.date_trunc('month', 'ordered_at_local') }}) as date) as first_month,
        cast(max({{ dbt.date_trunc('month', 'ordered_at_local') }}) as date) as last_month
    from orders
    group by marketplace
),

final as (
    select
        sellers.marketplace,
        sellers.seller_id,
        sellers.effective_timezone,
        months.month_start as period_start,
        cast({{ dbt.last_day('months.month_start', 'month') }} as date) as period_end
    from sellers
    inner join marketplace_windows
        on sellers.marketplace = marketplace_windows.marketplace
    inner join months
        on
            marketplace_windows.first_month <= months.month_start
            and marketplace_windows.last_month >= months.month_start
            and months.month_start >= cast({{ dbt.date_trunc('month', 'sellers.registered_at_local') }} as date)
    where {{ dbt.last_day('months.month_start', 'month') }} < {{ evaluation_date() }}
)

select * from final
