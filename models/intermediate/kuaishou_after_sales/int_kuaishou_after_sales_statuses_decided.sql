{#-
    Kuaishou after-sales monthly outcome per seller: meets_targets when every measurable
    metric passed, else below_targets. A month with no measurable metric gets no row.
    See docs block kuaishou_after_sales_statuses_decided.
-#}
with metrics as (
    select * from {{ ref('int_kuaishou_after_sales_metrics_graded') }}
),

statuses as (
    select * from {{ ref('kuaishou_after_sales__statuses') }}
),

rule_versions as (
    select * from {{ ref('kuaishou_after_sales__rule_versions') }}
),

month_grades as (
    {{ grade_summary('metrics') }}
),

months_decided as (
    select
        month_grades.marketplace,
        month_grades.seller_id,
        month_grades.program_id,
        month_grades.period_start,
        month_grades.period_end,
        case when month_grades.fail_count = 0 then 'meets_targets' else 'below_targets' end as status,
        month_grades.failed_metrics as failing_metrics
    from month_grades
    where month_grades.measurable_count > 0
),

final as (
    select
        months_decided.marketplace,
        months_decided.seller_id,
        months_decided.program_id,
        months_decided.period_start,
        months_decided.period_end,
        months_decided.status,
        cast(statuses.status_level as integer) as status_level,
        statuses.qualifies,
        cast(
            {{ dbt.dateadd('month', 'rule_versions.status_lag_months', 'months_decided.period_start') }} as date
        ) as valid_from,
        cast(
            {{ dbt.dateadd(
                'day',
                '-1',
                dbt.dateadd(
                    'month',
                    'rule_versions.status_lag_months + rule_versions.status_valid_months',
                    'months_decided.period_start',
                ),
            ) }} as date
        ) as valid_to,
        months_decided.failing_metrics,
        false as ranking_penalty,
        rule_versions.rule_version
    from months_decided
    inner join statuses
        on
            months_decided.program_id = statuses.program_id
            and months_decided.status = statuses.status
    inner join rule_versions
        on {{ in_force('rule_versions', 'months_decided.period_start') }}
)

select * from final
