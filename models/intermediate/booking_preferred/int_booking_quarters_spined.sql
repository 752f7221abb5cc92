{#-
    The complete calendar quarters to evaluate per Booking.com property (docs/rules/booking_preferred.md): from
    the later of the first quarter with a reported performance score on booking and the
    property's registration quarter, to the earlier of the last quarter with a reported
    score and the last quarter that ended before evaluation_date. Quarters are local to the
    property's time zone. The status of quarter Q is valid for the whole of quarter
    Q + validity_lag_quarters (booking_preferred__rule_versions).
-#}
with sellers as (
    select * from {{ ref('stg_landing__sellers') }}
    where marketplace = 'booking'
),

property_scores as (
    select * from {{ ref('stg_landing__property_scores') }}
    where marketplace = 'booking'
),

days as (
    select * from {{ ref('int_calendar_days_spined') }}
),

rule_versions as (
    select * from {{ ref('booking_preferred__rule_versions') }}
),

quarters as (
    select distinct
        cast({{ dbt.date_trunc('quarter', 'calendar_date') }} as date) as quarter_start
    from days
),

data_window as (
    select
        marketplace,
        cast(min({{ dbt.date_trunc('quarter', 'observed_at_local') }}) as date) as first_quarter,
        cast(max({{ dbt.date_trunc('quarter', 'observed_at_local') }}) as date) as last_quarter
    from property_scores
    group by marketplace
),

seller_quarters as (
    select
        sellers.marketplace,
        sellers.seller_id,
        sellers.country_code,
        sellers.effective_timezone,
        quarters.quarter_start as period_start,
        cast({{ dbt.last_day('quarters.quarter_start', 'quarter') }} as date) as period_end
    from sellers
    inner join data_window
        on sellers.marketplace = data_window.marketplace
    inner join quarters
        on
            quarters.quarter_start >= data_window.first_quarter
            and quarters.quarter_start <= data_window.last_quarter
            and quarters.quarter_start >= cast({{ dbt.date_trunc(
                'quarter', utc_to_local('sellers.registered_at_utc', 'sellers.effective_timezone')
            ) }} as date)
    where {{ dbt.last_day('quarters.quarter_start', 'quarter') }} < {{ evaluation_date() }}
),

final as (
    select
        seller_quarters.marketplace,
        seller_quarters.seller_id,
        seller_quarters.country_code,
        seller_quarters.effective_timezone,
        seller_quarters.period_start,
        seller_quarters.period_end,
        cast({{ dbt.dateadd(
            'quarter', 'rule_versions.validity_lag_quarters', 'seller_quarters.period_start'
        ) }} as date) as valid_from,
        cast({{ dbt.last_day(
            dbt.dateadd('quarter', 'rule_versions.validity_lag_quarters', 'seller_quarters.period_start'),
            'quarter'
        ) }} as date) as valid_to,
        rule_versions.rule_version
    from seller_quarters
    inner join rule_versions
        on {{ in_force('rule_versions', 'seller_quarters.period_start') }}
)

select * from final
