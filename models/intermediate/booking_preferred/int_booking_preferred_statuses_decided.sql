{#-
    Booking.com Preferred Partner status per property and evaluated quarter (docs/rules/booking_preferred.md),
    valid for the next quarter. Precedence:
      1. not_eligible: a criterion of int_booking_preferred_metrics_graded is not passed
         (fail, or insufficient_data: no score or no review yet), whatever the membership;
      2. opted_out: eligible, and the latest membership action up to the quarter's end is
         an opt-out;
      3. preferred: eligible and a member (latest action an opt-in);
      4. eligible_not_enrolled: eligible and never acted.
    A preferred property becomes preferred_plus when its performance score and review score
    meet the plus bars of booking_preferred__rule_versions and it is in the top share of the
    n preferred properties of its country that quarter: the number of them scoring at or
    above it is at most plus_country_top_share x n. "Top 10 %" means at most 10 %: a tie
    that would cross the cut stays out, and with fewer than 1 / share preferred properties
    in a country nobody qualifies. An opt-out dated in the validity quarter ends a Preferred
    badge at once: valid_to becomes the opt-out's local date. failing_metrics: for
    not_eligible the criteria not passed; for preferred the criteria that kept it from
    preferred_plus (performance_score below the plus bar or outside the country's top
    share, review_score below the plus bar). Extra column country_performance_percentile:
    percent_rank of the performance score among the country's properties with a score.
-#}
with quarters as (
    select * from {{ ref('int_booking_quarters_spined') }}
),

metrics as (
    select * from {{ ref('int_booking_preferred_metrics_graded') }}
),

memberships as (
    select * from {{ ref('int_booking_preferred_memberships_resolved') }}
),

rule_versions as (
    select * from {{ ref('booking_preferred__rule_versions') }}
),

statuses as (
    select * from {{ ref('booking_preferred__statuses') }}
),

criteria as (
    select
        marketplace,
        seller_id,
        period_start,
        max(case when metric_id = 'performance_score' then value end) as performance_score,
        max(case when metric_id = 'review_score' then value end) as review_score,
        sum(case when grade = 'pass' then 0 else 1 end) as unmet_criteria
    from metrics
    group by marketplace, seller_id, period_start
),

evaluated as (
    select
        quarters.marketplace,
        quarters.seller_id,
        quarters.country_code,
        quarters.period_start,
        quarters.period_end,
        quarters.valid_from,
        quarters.valid_to,
        quarters.rule_version,
        criteria.performance_score,
        criteria.review_score,
        coalesce(criteria.unmet_criteria, 1) = 0 as is_eligible,
        memberships.latest_action,
        memberships.is_member,
        memberships.validity_opt_out_date,
        rule_versions.plus_performance_bar,
        rule_versions.plus_review_bar,
        rule_versions.plus_country_top_share
    from quarters
    inner join rule_versions
        on {{ in_force('rule_versions', 'quarters.period_start') }}
    left join criteria
        on
            quarters.marketplace = criteria.marketplace
            and quarters.seller_id = criteria.seller_id
            and quarters.period_start = criteria.period_start
    left join memberships
        on
            quarters.marketplace = memberships.marketplace
            and quarters.seller_id = memberships.seller_id
            and quarters.period_start = memberships.period_start
),

membership_decided as (
    select
        *,
        case
            when not is_eligible then 'not_eligible'
            when latest_action = 'opt_out' then 'opted_out'
            when is_member then 'preferred'
            else 'eligible_not_enrolled'
        end as base_status
    from evaluated
),

country_ranked as (
    select
        *,
        count(*) over (
            partition by marketplace, country_code, period_start, base_status
            order by performance_score desc
            range between unbounded preceding and current row
        ) as country_at_or_above,
        count(*) over (
            partition by marketplace, country_code, period_start, base_status
        ) as country_peers,
        case
            when performance_score is not null
                then percent_rank() over (
                    partition by marketplace, country_code, period_start, performance_score is null
                    order by performance_score
                )
        end as country_performance_percentile
    from membership_decided
),

decided as (
    select
        *,
        base_status = 'preferred'
        and country_at_or_above <= plus_country_top_share * country_peers as is_in_country_top,
        case
            when
                base_status = 'preferred'
                and performance_score >= plus_performance_bar
                and review_score >= plus_review_bar
                and country_at_or_above <= plus_country_top_share * country_peers
                then 'preferred_plus'
            else base_status
        end as status
    from country_ranked
),

blocking_metrics as (
    select
        decided.marketplace,
        decided.seller_id,
        decided.period_start,
        metrics.metric_id
    from decided
    inner join metrics
        on
            decided.marketplace = metrics.marketplace
            and decided.seller_id = metrics.seller_id
            and decided.period_start = metrics.period_start
    where
        (decided.status = 'not_eligible' and metrics.grade != 'pass')
        or (
            decided.status = 'preferred'
            and (
                (
                    metrics.metric_id = 'performance_score'
                    and (metrics.value < decided.plus_performance_bar or not decided.is_in_country_top)
                )
                or (metrics.metric_id = 'review_score' and metrics.value < decided.plus_review_bar)
            )
        )
),

failing as (
    select
        marketplace,
        seller_id,
        period_start,
        {{ dbt.listagg('metric_id', "', '", 'order by metric_id') }} as failing_metrics
    from blocking_metrics
    group by marketplace, seller_id, period_start
),

final as (
    select
        decided.marketplace,
        decided.seller_id,
        'booking_preferred' as program_id,
        decided.period_start,
        decided.period_end,
        decided.status,
        statuses.status_level,
        statuses.qualifies,
        decided.valid_from,
        case
            when statuses.qualifies and decided.validity_opt_out_date is not null
                then decided.validity_opt_out_date
            else decided.valid_to
        end as valid_to,
        failing.failing_metrics,
        false as ranking_penalty,
        decided.rule_version,
        decided.country_performance_percentile
    from decided
    left join statuses
        on
            statuses.program_id = 'booking_preferred'
            and decided.status = statuses.status
    left join failing
        on
            decided.marketplace = failing.marketplace
            and decided.seller_id = failing.seller_id
            and decided.period_start = failing.period_start
)

select * from final
