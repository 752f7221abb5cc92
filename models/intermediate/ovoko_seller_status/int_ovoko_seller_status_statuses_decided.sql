{#-
    Ovoko status per seller and performance month M (docs/rules/ovoko_seller_status.md): every Top Seller bar met
    (all four metrics excellent) -> top_seller; any Below Standard bar hit (a metric
    needs_improvement) -> below_standard; otherwise standard. The status holds for the whole
    of month M + status_lag_months (seed ovoko_seller_status__rule_versions).
-#}
with metrics as (
    select * from {{ ref('int_ovoko_seller_status_metrics_graded') }}
),

statuses as (
    select * from {{ ref('ovoko_seller_status__statuses') }}
),

rule_versions as (
    select * from {{ ref('ovoko_seller_status__rule_versions') }}
),

monthly as (
    {{ grade_summary('metrics') }}
),

decided as (
    select
        monthly.*,
        case
            when monthly.needs_improvement_count > 0 then 'below_standard'
            when monthly.excellent_count = monthly.metric_count then 'top_seller'
            else 'standard'
        end as status
    from monthly
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
        cast({{ dbt.dateadd('month', 'rule_versions.status_lag_months', 'decided.period_start') }} as date)
            as valid_from,
        {%- set status_month = dbt.dateadd('month', 'rule_versions.status_lag_months', 'decided.period_start') %}
        cast({{ dbt.last_day(status_month, 'month') }} as date) as valid_to,
        case
            when decided.status = 'below_standard' then decided.needs_improvement_metrics
            when decided.status = 'standard' then decided.not_excellent_metrics
        end as failing_metrics,
        false as ranking_penalty,
        decided.rule_version
    from decided
    inner join statuses
        on
            decided.program_id = statuses.program_id
            and decided.status = statuses.status
    inner join rule_versions
        on {{ in_force('rule_versions', 'decided.period_start') }}
)

select * from final
