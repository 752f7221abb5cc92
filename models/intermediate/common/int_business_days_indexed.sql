{#-
    Business days per country: weekdays that are not listed public holidays
    (seed calendar__public_holidays) and not weekend days
    (var weekend_iso_days). business_day_index counts business days up to and
    including the date, so the business days in (a, b] are index(b) - index(a).
-#}
with days as (
    select * from {{ ref('int_calendar_days_spined') }}
),

holidays as (
    select * from {{ ref('calendar__public_holidays') }}
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

countries as (
    select distinct country_code from sellers
    union
    select distinct country_code from holidays
),

country_days as (
    select
        countries.country_code,
        days.calendar_date,
        days.iso_day_of_week,
        days.iso_day_of_week not in ({{ var('weekend_iso_days') | join(', ') }})
        and holidays.holiday_date is null as is_business_day
    from countries
    cross join days
    left join holidays
        on
            countries.country_code = holidays.country_code
            and days.calendar_date = holidays.holiday_date
),

final as (
    select
        country_code,
        calendar_date,
        iso_day_of_week,
        is_business_day,
        sum(case when is_business_day then 1 else 0 end) over (
            partition by country_code
            order by calendar_date
            rows between unbounded preceding and current row
        ) as business_day_index
    from country_days
)

select * from final
