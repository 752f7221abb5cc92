{#-
    Fyndiq missing and complaint issue rates per seller, month and price band (docs/rules/fyndiq_performance.md),
    with the billable issues of the schedule in force:
        billable = max(0, min(issues - minimum_issues, floor(issues - threshold_rate * lines))).
    grade: pass when nothing is billable, fail when a fee is due. headroom: more issues that
    keep it free, max(minimum_issues, ceil(threshold_rate * lines)) - issues.
    metric_id: `<fee_type>_rate_band_<band>`, e.g. missing_issue_rate_band_0_498.
-#}
with issue_counts as (
    select * from {{ ref('int_fyndiq_issue_counts_aggregated') }}
),

schedule as (
    select * from {{ ref('fyndiq_performance__fee_schedule') }}
    where fee_type in ('missing_issue', 'complaint_issue')
),

band_rates as (
    select
        issue_counts.marketplace,
        issue_counts.seller_id,
        issue_counts.period_start,
        issue_counts.period_end,
        issue_counts.price_band,
        issue_counts.currency,
        schedule.fee_type,
        schedule.rule_version,
        schedule.threshold_rate,
        schedule.minimum_issues,
        schedule.unit_fee,
        schedule.billing_lag_months,
        issue_counts.order_lines,
        case
            when schedule.fee_type = 'missing_issue' then issue_counts.missing_issues
            else issue_counts.complaint_issues
        end as issues
    from issue_counts
    inner join schedule
        on
            issue_counts.price_band = schedule.price_band
            and {{ in_force('schedule', 'issue_counts.period_start') }}
),

with_billable as (
    select
        *,
        cast(greatest(0, least(
            issues - minimum_issues,
            floor(issues - threshold_rate * order_lines)
        )) as bigint) as billable_issues
    from band_rates
),

final as (
    select
        marketplace,
        seller_id,
        'fyndiq_performance' as program_id,
        fee_type || '_rate_band_' || replace(replace(price_band, '-', '_'), '+', '_plus') as metric_id,
        period_start,
        period_end,
        cast(issues as double) as numerator,
        cast(order_lines as double) as denominator,
        cast(issues as double) / order_lines as value,
        case when billable_issues > 0 then 'fail' else 'pass' end as grade,
        cast(threshold_rate as double) as bar_value,
        case
            when billable_issues = 0
                then cast(greatest(minimum_issues, ceil(threshold_rate * order_lines)) - issues as bigint)
        end as headroom,
        rule_version,
        fee_type,
        price_band,
        currency,
        order_lines,
        issues,
        billable_issues,
        threshold_rate,
        minimum_issues,
        unit_fee,
        billing_lag_months
    from with_billable
)

select * from final
