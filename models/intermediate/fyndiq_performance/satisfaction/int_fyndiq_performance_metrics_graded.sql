{#-
    Fyndiq customer satisfaction score per seller and month (docs/rules/fyndiq_performance.md, CSS part):
    satisfied CSS ratings / CSS ratings of the month, the month being the local month of
    rated_at in the seller's time zone (Europe/Stockholm unless the seller overrides it).
    Graded pass / fail against fyndiq_performance__metric_bars (pass at 80 % or more); a
    month without ratings is insufficient_data. Headroom: how many more of the month's
    ratings could have been dissatisfied with the CSS still passing.
-#}
with seller_months as (
    select * from {{ ref('int_seller_months_spined') }}
    where marketplace = 'fyndiq'
),

css_ratings as (
    select * from {{ ref('stg_landing__css_ratings') }}
    where marketplace = 'fyndiq'
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

ratings_attributed as (
    select
        css_ratings.marketplace,
        css_ratings.seller_id,
        css_ratings.rating_id,
        css_ratings.satisfied,
        cast({{ dbt.date_trunc(
            'month', utc_to_local('css_ratings.rated_at_utc', 'sellers.effective_timezone')
        ) }} as date) as rated_month
    from css_ratings
    inner join sellers
        on
            css_ratings.marketplace = sellers.marketplace
            and css_ratings.seller_id = sellers.seller_id
),

monthly_ratings as (
    select
        marketplace,
        seller_id,
        rated_month,
        count(*) as ratings,
        sum(case when satisfied then 1 else 0 end) as satisfied_ratings
    from ratings_attributed
    group by marketplace, seller_id, rated_month
),

monthly as (
    select
        seller_months.marketplace,
        seller_months.seller_id,
        seller_months.period_start,
        seller_months.period_end,
        coalesce(monthly_ratings.satisfied_ratings, 0) as satisfied_ratings,
        coalesce(monthly_ratings.ratings, 0) as ratings
    from seller_months
    left join monthly_ratings
        on
            seller_months.marketplace = monthly_ratings.marketplace
            and seller_months.seller_id = monthly_ratings.seller_id
            and seller_months.period_start = monthly_ratings.rated_month
),

metric_values as (
    {{ metric_rows('monthly', 'fyndiq_performance', [
        {'metric_id': 'customer_satisfaction_score', 'numerator': 'satisfied_ratings', 'denominator': 'ratings'},
    ]) }}
),

{{ grade_metrics('metric_values', 'fyndiq_performance__metric_bars') }}

select * from metrics_graded
