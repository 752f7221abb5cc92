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

monthly as (
    select
        months.marketplace,
        months.seller_id,
        months.period_start,
        months.period_end,
        coalesce(fulfillment_by_month.orders_confirmed_on_time, 0) as orders_confirmed_on_time,
        coalesce(fulfillment_by_month.orders_due, 0) as orders_due,
        coalesce(responses_by_month.messages_answered_in_time, 0) as messages_answered_in_time,
        coalesce(responses_by_month.customer_messages, 0) as customer_messages,
        coalesce(cancellations_by_month.seller_fault_cancellations, 0) as seller_fault_cancellations,
        coalesce(cancellations_by_month.orders_placed, 0) as orders_placed,
        coalesce(review_scores.weighted_rating_sum, 0) as weighted_rating_sum,
        coalesce(review_scores.weight_sum, 0) as weight_sum,
        review_scores.weighted_mean_rating,
        coalesce(violations_by_month.violation_points, 0) as violation_points
    from months
    left join fulfillment_by_month
        on
            months.marketplace = fulfillment_by_month.marketplace
            and months.seller_id = fulfillment_by_month.seller_id
            and months.period_start = fulfillment_by_month.period_start
    left join responses_by_month
        on
            months.marketplace = responses_by_month.marketplace
            and months.seller_id = responses_by_month.seller_id
            and months.period_start = responses_by_month.period_start
    left join cancellations_by_month
        on
            months.marketplace = cancellations_by_month.marketplace
            and months.seller_id = cancellations_by_month.seller_id
            and months.period_start = cancellations_by_month.period_start
    left join review_scores
        on
            months.marketplace = review_scores.marketplace
            and months.seller_id = review_scores.seller_id
            and months.period_start = review_scores.period_start
    left join violations_by_month
        on
            months.marketplace = violations_by_month.marketplace
            and months.seller_id = violations_by_month.seller_id
            and months.period_start = violations_by_month.period_start
),

metric_values as (
    {{ metric_rows('monthly', 'kkday_trusted_partner', [
        {'metric_id': 'order_fulfillment_rate',
         'numerator': 'orders_confirmed_on_time', 'denominator': 'orders_due'},
        {'metric_id': 'message_response_rate',
         'numerator': 'messages_answered_in_time', 'denominator': 'customer_messages'},
        {'metric_id': 'order_cancellation_rate',
         'numerator': 'seller_fault_cancellations', 'denominator': 'orders_placed'},
        {'metric_id': 'traveler_review_score',
         'numerator': 'weighted_rating_sum', 'denominator': 'weight_sum', 'value': 'weighted_mean_rating'},
        {'metric_id': 'violation_points', 'numerator': 'violation_points'},
    ]) }}
),

{{ grade_metrics('metric_values', 'kkday_trusted_partner__metric_bars') }}

select * from metrics_graded
