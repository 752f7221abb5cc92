{#- One row per day of the calendar range: the time spine MetricFlow joins metrics to. -#}
with days as (
    select calendar_date from {{ ref('int_calendar_days_spined') }}
),

final as (
    select cast(calendar_date as date) as date_day
    from days
)

select * from final
