{#-
    Booking.com Preferred Partner criteria per property and evaluated quarter (docs/rules/booking_preferred.md),
    graded pass / fail against booking_preferred__metric_bars. Dates are local dates of the
    property's time zone; data up to the quarter's last day.
      - performance_score: the latest reported score; none reported yet = insufficient_data.
      - review_score: mean rating on a 10-point scale (a 5-point rating x 2) of the reviews of
        the review_window_months (36) months ending at the quarter's last day; numerator =
        sum of the converted ratings, denominator = reviews; no review = insufficient_data.
      - pricing_score: the latest reported non-null pricing score. A property with no pricing
        score reported up to the quarter's end (its country reports none) has no row: the
        criterion does not apply, so it can neither fail nor block the property.
    The two reported scores are not ratios: their numerator and denominator are null.
-#}
with quarters as (
    select * from {{ ref('int_booking_quarters_spined') }}
),

property_scores as (
    select * from {{ ref('stg_landing__property_scores') }}
    where marketplace = 'booking'
),

reviews as (
    select * from {{ ref('stg_landing__reviews') }}
    where marketplace = 'booking'
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

rule_versions as (
    select * from {{ ref('booking_preferred__rule_versions') }}
),

scores_dated as (
    select
        property_scores.marketplace,
        property_scores.seller_id,
        property_scores.observed_at_utc,
        cast({{ utc_to_local('property_scores.observed_at_utc', 'sellers.effective_timezone') }} as date)
            as observed_date,
        property_scores.performance_score,
        property_scores.pricing_score
    from property_scores
    inner join sellers
        on
            property_scores.marketplace = sellers.marketplace
            and property_scores.seller_id = sellers.seller_id
),

performance_ranked as (
    select
        quarters.marketplace,
        quarters.seller_id,
        quarters.period_start,
        scores_dated.performance_score,
        row_number() over (
            partition by quarters.marketplace, quarters.seller_id, quarters.period_start
            order by scores_dated.observed_at_utc desc
        ) as recency
    from quarters
    inner join scores_dated
        on
            quarters.marketplace = scores_dated.marketplace
            and quarters.seller_id = scores_dated.seller_id
            and scores_dated.observed_date <= quarters.period_end
),

latest_performance as (
    select * from performance_ranked
    where recency = 1
),

pricing_ranked as (
    select
        quarters.marketplace,
        quarters.seller_id,
        quarters.period_start,
        quarters.period_end,
        scores_dated.pricing_score,
        row_number() over (
            partition by quarters.marketplace, quarters.seller_id, quarters.period_start
            order by scores_dated.observed_at_utc desc
        ) as recency
    from quarters
    inner join scores_dated
        on
            quarters.marketplace = scores_dated.marketplace
            and quarters.seller_id = scores_dated.seller_id
            and scores_dated.observed_date <= quarters.period_end
            and scores_dated.pricing_score is not null
),

latest_pricing as (
    select * from pricing_ranked
    where recency = 1
),

reviews_dated as (
    select
        reviews.marketplace,
        reviews.seller_id,
        reviews.review_id,
        reviews.rating,
        reviews.rating_scale,
        cast({{ utc_to_local('reviews.reviewed_at_utc', 'sellers.effective_timezone') }} as date)
            as reviewed_date
    from reviews
    inner join sellers
        on
            reviews.marketplace = sellers.marketplace
            and reviews.seller_id = sellers.seller_id
),

review_windows as (
    select
        quarters.marketplace,
        quarters.seller_id,
        quarters.period_start,
        quarters.period_end,
        rule_versions.review_rating_scale,
        cast({{ dbt.dateadd(
            'month',
            '-1 * rule_versions.review_window_months',
            dbt.dateadd('day', '1', 'quarters.period_end'),
        ) }} as date) as window_start
    from quarters
    inner join rule_versions
        on {{ in_force('rule_versions', 'quarters.period_start') }}
),

review_scores as (
    select
        review_windows.marketplace,
        review_windows.seller_id,
        review_windows.period_start,
        count(reviews_dated.review_id) as reviews,
        -- summed exactly, then back to double: the same reviews give the same sum in any order
        cast({{ exact_sum(
            'cast(reviews_dated.rating as double) * review_windows.review_rating_scale'
            ~ ' / reviews_dated.rating_scale'
        ) }} as double) as rating_points
    from review_windows
    left join reviews_dated
        on
            review_windows.marketplace = reviews_dated.marketplace
            and review_windows.seller_id = reviews_dated.seller_id
            and reviews_dated.reviewed_date >= review_windows.window_start
            and reviews_dated.reviewed_date <= review_windows.period_end
    group by review_windows.marketplace, review_windows.seller_id, review_windows.period_start
),

quarterly as (
    select
        quarters.marketplace,
        quarters.seller_id,
        quarters.period_start,
        quarters.period_end,
        latest_performance.performance_score,
        coalesce(review_scores.rating_points, 0) as rating_points,
        coalesce(review_scores.reviews, 0) as reviews
    from quarters
    left join latest_performance
        on
            quarters.marketplace = latest_performance.marketplace
            and quarters.seller_id = latest_performance.seller_id
            and quarters.period_start = latest_performance.period_start
    left join review_scores
        on
            quarters.marketplace = review_scores.marketplace
            and quarters.seller_id = review_scores.seller_id
            and quarters.period_start = review_scores.period_start
),

metric_values as (
    {{ metric_rows('quarterly', 'booking_preferred', [
        {'metric_id': 'performance_score', 'numerator': 'null', 'value': 'performance_score'},
        {'metric_id': 'review_score', 'numerator': 'rating_points', 'denominator': 'reviews'},
    ]) }}

    union all

    {#- Only where the country reports a pricing score: no row, no criterion. -#}
    {{ metric_rows('latest_pricing', 'booking_preferred', [
        {'metric_id': 'pricing_score', 'numerator': 'null', 'value': 'pricing_score'},
    ]) }}
),

{{ grade_metrics('metric_values', 'booking_preferred__metric_bars') }}

select * from metrics_graded
