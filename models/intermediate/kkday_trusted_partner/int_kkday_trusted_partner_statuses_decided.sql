{#-
    KKday Trusted Partner status per seller and evaluated month (docs/rules/kkday_trusted_partner.md): every metric
    of the bars in force excellent -> trusted_partner, else regular; ranking penalty when at
    least ranking_penalty_min_needs_improvement metrics need improvement. The status of
    month M is published on day status_publish_day of month M + status_publish_lag_months
    and holds for status_validity_months (to the day before the next publication).
-#}
with metrics_graded as (
    select * from {{ ref('int_kkday_trusted_partner_metrics_graded') }}
),

metric_bars as (
    select * from {{ ref('kkday_trusted_partner__metric_bars') }}
),

statuses as (
    select * from {{ ref('kkday_trusted_partner__statuses') }}
),

rule_versions as (
    select * from {{ ref('kkday_trusted_partner__rule_versions') }}
),

periods as (
    select distinct
        program_id,
        period_start
    from metrics_graded
),

required_metrics as (
    select
        periods.program_id,
        periods.period_start,
        count(*) as required_metric_count
    from periods
    inner join metric_bars
        on
            periods.program_id = metric_bars.program_id
            and {{ in_force('metric_bars', 'periods.period_start') }}
    group by
        periods.program_id,
        periods.period_start
),

grade_counts as (
    {{ grade_summary('metrics_graded') }}
),

decided as (
    select
        grade_counts.marketplace,
        grade_counts.seller_id,
        grade_counts.program_id,
        grade_counts.period_start,
        grade_counts.period_end,
        case
            when grade_counts.excellent_count = required_metrics.required_metric_count
                then 'trusted_partner'
            else 'regular'
        end as status,
        grade_counts.not_excellent_metrics as failing_metrics,
        grade_counts.needs_improvement_count
        >= rule_versions.ranking_penalty_min_needs_improvement as ranking_penalty,
        cast(
            {{ dbt.dateadd(
                'day',
                'rule_versions.status_publish_day - 1',
                dbt.dateadd('month', 'rule_versions.status_publish_lag_months', 'grade_counts.period_start')
            ) }} as date
        ) as valid_from,
        rule_versions.status_validity_months,
        rule_versions.rule_version
    from grade_counts
    inner join required_metrics
        on
            grade_counts.program_id = required_metrics.program_id
            and grade_counts.period_start = required_metrics.period_start
    inner join rule_versions
        on {{ in_force('rule_versions', 'grade_counts.period_start') }}
),

final as (
    select
        decided.marketplace,
        decided.seller_id,
        decided.program_id,
        decided.period_start,
        decided.period_end,
        decided.status,
        cast(statuses.status_level as integer) as status_level,
        statuses.qualifies,
        decided.valid_from,
        cast(
            {{ dbt.dateadd(
                'day',
                '-1',
                dbt.dateadd('month', 'decided.status_validity_months', 'decided.valid_from')
            ) }} as date
        ) as valid_to,
        decided.failing_metrics,
        decided.ranking_penalty,
        decided.rule_version
    from decided
    inner join statuses
        on
            decided.program_id = statuses.program_id
            and decided.status = statuses.status
)

select * from final
