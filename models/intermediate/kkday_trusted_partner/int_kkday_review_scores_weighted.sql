{#-
    One row per KKday seller and evaluated month: the time-weighted review score. Reviews of
    the trailing window (review_window_days, ending with the month's last day, by the
    review's local date) weigh 0.5 ^ (age_days / var review_half_life_days), age in days
    from the review's local date to the month's last day; older reviews weigh 0. Ratings on
    another scale are rescaled to review_rating_scale. The mean is rounded to 10 decimals
    to drop floating-point noise.
-#}
with months as (
    select * from {{ ref('int_seller_months_spined') }}
    where marketplace = 'kkday'
),

reviews as (
    select * from {{ ref('stg_landing__reviews') }}
    where marketplace = 'kkday'
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

rule_versions as (
    select * from {{ ref('kkday_trusted_partner__rule_versions') }}
),

months_with_rules as (
    select
        months.marketplace,
        months.seller_id,
        months.period_start,
        months.period_end,
        rule_versions.rule_version,
        rule_versions.review_window_days,
        rule_versions.review_rating_scale
    from months
    inner join rule_versions
        on {{ in_force('rule_versions', 'months.period_start') }}
),

reviews_localized as (
    select
        reviews.marketplace,
        reviews.seller_id,
        reviews.review_id,
        cast(reviews.rating as double) as rating,
        reviews.rating_scale,
        cast(
            {{ utc_to_local('reviews.reviewed_at_utc', 'sellers.effective_timezone') }} as date
        ) as reviewed_date_local
    from reviews
    inner join sellers
        on
            reviews.marketplace = sellers.marketplace
            and reviews.seller_id = sellers.seller_id
),

reviews_aged as (
    select
        months_with_rules.marketplace,
        months_with_rules.seller_id,
        months_with_rules.period_start,
        reviews_localized.review_id,
        reviews_localized.rating * months_with_rules.review_rating_scale
        / reviews_localized.rating_scale as rating_rescaled,
        {{ dbt.datediff('reviews_localized.reviewed_date_local', 'months_with_rules.period_end', 'day') }}
            as age_days
    from months_with_rules
    inner join reviews_localized
        on
            months_with_rules.marketplace = reviews_localized.marketplace
            and months_with_rules.seller_id = reviews_localized.seller_id
            and months_with_rules.period_end >= reviews_localized.reviewed_date_local
            and cast(
                {{ dbt.dateadd('day', '-1 * months_with_rules.review_window_days', 'months_with_rules.period_end') }}
                as date
            ) < reviews_localized.reviewed_date_local
),

reviews_weighted as (
    select
        *,
        power(0.5, cast(age_days as double) / {{ var('review_half_life_days') }}) as review_weight
    from reviews_aged
),

monthly_sums as (
    select
        marketplace,
        seller_id,
        period_start,
        count(*) as review_count,
        -- summed exactly: the same reviews give the same sums in any order
        {{ exact_sum('review_weight') }} as weight_sum,
        {{ exact_sum('review_weight * rating_rescaled') }} as weighted_rating_sum
    from reviews_weighted
    group by
        marketplace,
        seller_id,
        period_start
),

final as (
    select
        months_with_rules.marketplace,
        months_with_rules.seller_id,
        months_with_rules.period_start,
        months_with_rules.period_end,
        cast(coalesce(monthly_sums.review_count, 0) as bigint) as review_count,
        cast(coalesce(monthly_sums.weighted_rating_sum, 0) as double) as weighted_rating_sum,
        cast(coalesce(monthly_sums.weight_sum, 0) as double) as weight_sum,
        -- rounded to 10 decimals: floating-point noise only (five 5-star reviews must score
        -- 5, not 5.0000000000000009, and a mean at a bar must meet it)
        cast(
            round(
                cast(monthly_sums.weighted_rating_sum as double)
                / nullif(cast(monthly_sums.weight_sum as double), 0),
                10
            ) as double
        ) as weighted_mean_rating,
        months_with_rules.rule_version
    from months_with_rules
    left join monthly_sums
        on
            months_with_rules.marketplace = monthly_sums.marketplace
            and months_with_rules.seller_id = monthly_sums.seller_id
            and months_with_rules.period_start = monthly_sums.period_start
)

select * from final
