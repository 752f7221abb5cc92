{#-
    KKday Trusted Partner (docs/rules/kkday_trusted_partner.md): the five monthly metrics of every KKday seller and
    complete month, graded against seed kkday_trusted_partner__metric_bars. A ratio with
    nothing to measure is insufficient_data; a month without violations has 0 points.
-#}
with months as (
    select * from {{ ref('int_seller_months_spined') }}
    where marketplace = 'kkday'
),

orders_assessed as (
    select * from {{ ref('int_kkday_orders_assessed') }}
),

messages_answered as (
    select * from {{ ref('int_kkday_messages_answered') }}
),

review_scores as (
    select * from {{ ref('int_kkday_review_scores_weighted') }}
),

violations as (
    select * from {{ ref('stg_landing__violations') }}
    where marketplace = 'kkday'
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

fulfillment_by_month as (
    select
        marketplace,
        seller_id,
        deadline_month_start as period_start,
        sum(case when is_confirmed_on_time then 1 else 0 end) as orders_confirmed_on_time,
        count(*) as orders_due
    from orders_assessed
    where is_counted_in_fulfillment
    group by
        marketplace,
        seller_id,
        deadline_month_start
),

responses_by_month as (
    select
        marketplace,
        seller_id,
        sent_month_start as period_start,
        sum(case when is_answered_in_time then 1 else 0 end) as messages_answered_in_time,
        count(*) as customer_messages
    from messages_answered
    group by
        marketplace,
        seller_id,
        sent_month_start
),

cancellations_by_month as (
    select
        marketplace,
        seller_id,
        order_month_start as period_start,
        sum(case when is_seller_fault_cancellation then 1 else 0 end) as seller_fault_cancellations,
        count(*) as orders_placed
    from orders_assessed
    where not is_excluded_from_cancellation_rate
    group by
        marketplace,
        seller_id,
        order_month_start
),

violations_localized as (
    select
        violations.marketplace,
        violations.seller_id,
        violations.points,
        cast(
            {{ dbt.date_trunc('month', utc_to_local('violations.occurred_at_utc', 'sellers.effective_timezone')) }}
            as date
        ) as period_start
    from violations
    inner join sellers
        on
            violations.marketplace = sellers.marketplace
            and violations.seller_id = sellers.seller_id
    where violations.status != 'overturned'
),

violations_by_month as (
    select
        marketplace,
        seller_id,
        period_start,
        sum(points) as violation_points
    from violations_localized
    group by
        marketplace,
        seller_id,
        period_start
),

fulfillment_values as (
    select
        months.marketplace,
        months.seller_id,
        'kkday_trusted_partner' as program_id,
        'order_fulfillment_rate' as metric_id,
        months.period_start,
        months.period_end,
        cast(coalesce(fulfillment_by_month.orders_confirmed_on_time, 0) as double) as numerator,
        cast(coalesce(fulfillment_by_month.orders_due, 0) as double) as denominator,
        cast(fulfillment_by_month.orders_confirmed_on_time as double)
        / nullif(fulfillment_by_month.orders_due, 0) as value  -- noqa: RF04
    from months
    left join fulfillment_by_month
        on
            months.marketplace = fulfillment_by_month.marketplace
            and months.seller_id = fulfillment_by_month.seller_id
            and months.period_start = fulfillment_by_month.period_start
),

response_values as (
    select
        months.marketplace,
        months.seller_id,
        'kkday_trusted_partner' as program_id,
        'message_response_rate' as metric_id,
        months.period_start,
        months.period_end,
        cast(coalesce(responses_by_month.messages_answered_in_time, 0) as double) as numerator,
        cast(coalesce(responses_by_month.customer_messages, 0) as double) as denominator,
        cast(responses_by_month.messages_answered_in_time as double)
        / nullif(responses_by_month.customer_messages, 0) as value  -- noqa: RF04
    from months
    left join responses_by_month
        on
            months.marketplace = responses_by_month.marketplace
            and months.seller_id = responses_by_month.seller_id
            and months.period_start = responses_by_month.period_start
),

cancellation_values as (
    select
        months.marketplace,
        months.seller_id,
        'kkday_trusted_partner' as program_id,
        'order_cancellation_rate' as metric_id,
        months.period_start,
        months.period_end,
        cast(coalesce(cancellations_by_month.seller_fault_cancellations, 0) as double) as numerator,
        cast(coalesce(cancellations_by_month.orders_placed, 0) as double) as denominator,
        cast(cancellations_by_month.seller_fault_cancellations as double)
        / nullif(cancellations_by_month.orders_placed, 0) as value  -- noqa: RF04
    from months
    left join cancellations_by_month
        on
            months.marketplace = cancellations_by_month.marketplace
            and months.seller_id = cancellations_by_month.seller_id
            and months.period_start = cancellations_by_month.period_start
),

review_values as (
    select
        months.marketplace,
        months.seller_id,
        'kkday_trusted_partner' as program_id,
        'traveler_review_score' as metric_id,
        months.period_start,
        months.period_end,
        cast(coalesce(review_scores.weighted_rating_sum, 0) as double) as numerator,
        cast(coalesce(review_scores.weight_sum, 0) as double) as denominator,
        cast(review_scores.weighted_mean_rating as double) as value  -- noqa: RF04
    from months
    left join review_scores
        on
            months.marketplace = review_scores.marketplace
            and months.seller_id = review_scores.seller_id
            and months.period_start = review_scores.period_start
),

violation_values as (
    select
        months.marketplace,
        months.seller_id,
        'kkday_trusted_partner' as program_id,
        'violation_points' as metric_id,
        months.period_start,
        months.period_end,
        cast(coalesce(violations_by_month.violation_points, 0) as double) as numerator,
        cast(null as double) as denominator,
        cast(coalesce(violations_by_month.violation_points, 0) as double) as value  -- noqa: RF04
    from months
    left join violations_by_month
        on
            months.marketplace = violations_by_month.marketplace
            and months.seller_id = violations_by_month.seller_id
            and months.period_start = violations_by_month.period_start
),

metric_values as (
    select * from fulfillment_values
    union all
    select * from response_values
    union all
    select * from cancellation_values
    union all
    select * from review_values
    union all
    select * from violation_values
),

{{ grade_metrics('metric_values', 'kkday_trusted_partner__metric_bars') }}

select * from metrics_graded
