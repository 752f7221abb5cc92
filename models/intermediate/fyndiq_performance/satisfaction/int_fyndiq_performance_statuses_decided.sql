{#-
    Fyndiq CSS status per seller and month M (docs/rules/fyndiq_performance.md, CSS part): the ladder's action
    decided on M's CSS (int_fyndiq_css_months_laddered), `satisfactory` for a month at the
    bar, `no_ratings` for a month without ratings. The status holds during the month the
    action applies (M + action_lag_months): valid_from its first day, valid_to its last.
-#}
with css_months as (
    select * from {{ ref('int_fyndiq_css_months_laddered') }}
),

statuses as (
    select * from {{ ref('fyndiq_performance__statuses') }}
),

decided as (
    select
        *,
        case
            when css_grade = 'fail' then action
            when css_grade = 'pass' then 'satisfactory'
            when css_grade = 'insufficient_data' then 'no_ratings'
        end as status
    from css_months
),

final as (
    select
        decided.marketplace,
        decided.seller_id,
        decided.program_id,
        decided.period_start,
        decided.period_end,
        decided.status,
        statuses.status_level,
        statuses.qualifies,
        decided.action_month_start as valid_from,
        decided.action_month_end as valid_to,
        case when decided.css_grade = 'fail' then decided.metric_id end as failing_metrics,
        false as ranking_penalty,
        decided.rule_version
    from decided
    left join statuses
        on
            decided.program_id = statuses.program_id
            and decided.status = statuses.status
)

select * from final
