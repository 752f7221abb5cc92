{#
    The complete periods (`grain`: month or quarter) to evaluate per seller, as CTEs ending in
    `seller_periods` (marketplace, seller_id, country_code, effective_timezone, period_start,
    period_end). Needs the import CTEs `sellers` (stg_landing__sellers) and `days`
    (int_calendar_days_spined). A seller's periods run from the later of its registration
    period and the first period of its marketplace's activity, to the earlier of the last
    period of that activity and the last period that ended before evaluation_date.
      - activity_cte: rows that show the marketplace's data window (orders, scores);
      - activity_local: the local timestamp column of activity_cte that dates them;
      - registered_local: the expression for the seller's local registration time.
#}
{% macro seller_periods(grain, activity_cte, activity_local, registered_local='sellers.registered_at_local') %}
period_starts as (
    select distinct
        cast({{ dbt.date_trunc(grain, 'calendar_date') }} as date) as period_start
    from days
),

data_window as (
    select
        marketplace,
        cast(min({{ dbt.date_trunc(grain, activity_local) }}) as date) as first_period,
        cast(max({{ dbt.date_trunc(grain, activity_local) }}) as date) as last_period
    from {{ activity_cte }}
    group by marketplace
),

seller_periods as (
    select
        sellers.marketplace,
        sellers.seller_id,
        sellers.country_code,
        sellers.effective_timezone,
        period_starts.period_start,
        cast({{ dbt.last_day('period_starts.period_start', grain) }} as date) as period_end
    from sellers
    inner join data_window
        on sellers.marketplace = data_window.marketplace
    inner join period_starts
        on
            period_starts.period_start >= data_window.first_period
            and period_starts.period_start <= data_window.last_period
            and period_starts.period_start >= cast({{ dbt.date_trunc(grain, registered_local) }} as date)
    where {{ dbt.last_day('period_starts.period_start', grain) }} < {{ evaluation_date() }}
)
{% endmacro %}
