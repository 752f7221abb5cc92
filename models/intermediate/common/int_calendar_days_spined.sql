{#- One row per day of the calendar range (vars calendar_start_date, calendar_end_date). -#}
with days as (
    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('calendar_start_date') ~ "' as date)",
        "cast('" ~ var('calendar_end_date') ~ "' as date)",
    ) }}
),

final as (
    select
        cast(date_day as date) as calendar_date,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        {{ iso_day_of_week('cast(date_day as date)') }} as iso_day_of_week
    from days
)

select * from final
