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

{{ seller_periods(
    'quarter',
    'property_scores',
    'observed_at_local',
    registered_local=utc_to_local('sellers.registered_at_utc', 'sellers.effective_timezone'),
) }},

final as (
    select
        seller_periods.marketplace,
        seller_periods.seller_id,
        seller_periods.country_code,
        seller_periods.effective_timezone,
        seller_periods.period_start,
        seller_periods.period_end,
        cast({{ dbt.dateadd(
            'quarter', 'rule_versions.validity_lag_quarters', 'seller_periods.period_start'
        ) }} as date) as valid_from,
        cast({{ dbt.last_day(
            dbt.dateadd('quarter', 'rule_versions.validity_lag_quarters', 'seller_periods.period_start'),
            'quarter'
        ) }} as date) as valid_to,
        rule_versions.rule_version
    from seller_periods
    inner join rule_versions
        on {{ in_force('rule_versions', 'seller_periods.period_start') }}
)

select * from final
