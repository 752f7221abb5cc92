{#-
    Fyndiq CSS ladder per seller and month M (docs/rules/fyndiq_performance.md, CSS part). The month's CSS and its
    grade come from int_fyndiq_performance_metrics_graded (fail = below the bar). The count of
    consecutive months below the bar includes M; a month at the bar resets it to 0, a month
    without ratings neither resets nor extends it (it is skipped, and carries the count as it
    stood). A month below the bar gets the action of fyndiq_performance__css_ladder for its
    CSS band and count; the action applies during month M + action_lag_months.
-#}
with css_months as (
    select * from {{ ref('int_fyndiq_performance_metrics_graded') }}
    where metric_id = 'customer_satisfaction_score'
),

ladder as (
    select * from {{ ref('fyndiq_performance__css_ladder') }}
),

ladder_versions as (
    select
        rule_version,
        valid_from,
        valid_to,
        max(action_lag_months) as action_lag_months
    from ladder
    group by rule_version, valid_from, valid_to
),

classified as (
    select
        marketplace,
        seller_id,
        program_id,
        metric_id,
        period_start,
        period_end,
        cast(denominator as bigint) as ratings,
        cast(numerator as bigint) as satisfied_ratings,
        cast(denominator - numerator as bigint) as dissatisfied_ratings,
        value as css,
        bar_value as css_bar,
        grade as css_grade,
        case when grade = 'pass' then 1 else 0 end as is_reset,
        case when grade = 'fail' then 1 else 0 end as is_below_bar
    from css_months
),

reset_groups as (
    select
        *,
        sum(is_reset) over (
            partition by marketplace, seller_id
            order by period_start
            rows between unbounded preceding and current row
        ) as reset_group
    from classified
),

counted as (
    select
        *,
        sum(is_below_bar) over (
            partition by marketplace, seller_id, reset_group
            order by period_start
            rows between unbounded preceding and current row
        ) as consecutive_months_below
    from reset_groups
),

laddered as (
    select
        counted.*,
        ladder.css_band,
        ladder.action,
        ladder.notice_days,
        ladder.has_css_fee,
        ladder.has_assisted_service
    from counted
    left join ladder
        on
            counted.is_below_bar = 1
            and (ladder.css_from is null or counted.css >= ladder.css_from)
            and (ladder.css_to is null or counted.css < ladder.css_to)
            and counted.consecutive_months_below >= ladder.consecutive_from
            and (ladder.consecutive_to is null or counted.consecutive_months_below <= ladder.consecutive_to)
            and {{ in_force('ladder', 'counted.period_start') }}
),

final as (
    select
        laddered.marketplace,
        laddered.seller_id,
        laddered.program_id,
        laddered.metric_id,
        laddered.period_start,
        laddered.period_end,
        laddered.ratings,
        laddered.satisfied_ratings,
        laddered.dissatisfied_ratings,
        laddered.css,
        laddered.css_bar,
        laddered.css_grade,
        cast(laddered.consecutive_months_below as integer) as consecutive_months_below,
        laddered.css_band,
        laddered.action,
        laddered.notice_days,
        coalesce(laddered.has_css_fee, false) as has_css_fee,
        coalesce(laddered.has_assisted_service, false) as has_assisted_service,
        cast({{ dbt.dateadd('month', 'ladder_versions.action_lag_months', 'laddered.period_start') }} as date)
            as action_month_start,
        cast({{ dbt.last_day(
            dbt.dateadd('month', 'ladder_versions.action_lag_months', 'laddered.period_start'), 'month'
        ) }} as date) as action_month_end,
        ladder_versions.rule_version
    from laddered
    inner join ladder_versions
        on {{ in_force('ladder_versions', 'laddered.period_start') }}
)

select * from final
