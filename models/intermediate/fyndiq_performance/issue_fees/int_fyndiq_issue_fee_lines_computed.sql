{#-
    Fyndiq performance issue fee lines (docs/rules/fyndiq_performance.md), billed billing_lag_months after the
    performance month:
      - missing_issue / complaint_issue: per seller, month and price band with billable
        issues, billable x unit_fee;
      - product_issue: per product and price band, when the product's complaints of the three
        order months ending with month M exceed threshold_rate of its order lines of month M
        and number at least minimum_issues: the fixed unit_fee.
-#}
with band_rates as (
    select * from {{ ref('int_fyndiq_issue_rates_graded') }}
),

product_complaints as (
    select * from {{ ref('int_fyndiq_product_complaints_aggregated') }}
),

product_schedule as (
    select * from {{ ref('fyndiq_performance__fee_schedule') }}
    where fee_type = 'product_issue'
),

issue_fee_lines as (
    select
        marketplace,
        seller_id,
        program_id,
        fee_type,
        period_start,
        period_end,
        cast({{ dbt.dateadd('month', 'billing_lag_months', 'period_start') }} as date) as billing_month,
        cast(null as {{ dbt.type_string() }}) as product_id,
        price_band,
        order_lines as basis_count,
        issues as issue_count,
        billable_issues as billable_count,
        cast(null as decimal(18, 2)) as basis_amount,
        cast(null as decimal(9, 4)) as fee_rate,
        cast(unit_fee as decimal(18, 2)) as unit_amount,
        cast(billable_issues * unit_fee as decimal(18, 2)) as amount,
        currency,
        rule_version,
        left(cast(period_start as {{ dbt.type_string() }}), 7) || ': '
        || cast(issues as {{ dbt.type_string() }}) || ' '
        || case when fee_type = 'missing_issue' then 'missing-item' else 'complaint' end
        || ' issues on ' || cast(order_lines as {{ dbt.type_string() }})
        || ' order lines priced ' || price_band || ' SEK ('
        || cast(cast(round(100.0 * issues / order_lines, 1) as decimal(9, 1)) as {{ dbt.type_string() }})
        || ' %, threshold '
        || cast(cast(threshold_rate * 100 as decimal(9, 1)) as {{ dbt.type_string() }})
        || ' %, first ' || cast(minimum_issues as {{ dbt.type_string() }}) || ' free): '
        || cast(billable_issues as {{ dbt.type_string() }}) || ' billable x '
        || cast(cast(unit_fee as decimal(18, 2)) as {{ dbt.type_string() }}) || ' ' || currency || ' = '
        || cast(cast(billable_issues * unit_fee as decimal(18, 2)) as {{ dbt.type_string() }}) || ' ' || currency
            as explanation
    from band_rates
    where billable_issues > 0
),

product_rates as (
    select
        product_complaints.marketplace,
        product_complaints.seller_id,
        product_complaints.product_id,
        product_complaints.price_band,
        product_complaints.currency,
        product_complaints.period_start,
        product_complaints.period_end,
        product_complaints.order_lines,
        product_complaints.trailing_complaints as complaints,
        product_schedule.rule_version,
        product_schedule.threshold_rate,
        product_schedule.minimum_issues,
        product_schedule.unit_fee,
        product_schedule.billing_lag_months
    from product_complaints
    inner join product_schedule
        on
            product_complaints.price_band = product_schedule.price_band
            and {{ in_force('product_schedule', 'product_complaints.period_start') }}
),

product_fee_lines as (
    select
        marketplace,
        seller_id,
        'fyndiq_performance' as program_id,
        'product_issue' as fee_type,
        period_start,
        period_end,
        cast({{ dbt.dateadd('month', 'billing_lag_months', 'period_start') }} as date) as billing_month,
        product_id,
        price_band,
        order_lines as basis_count,
        complaints as issue_count,
        cast(1 as bigint) as billable_count,
        cast(null as decimal(18, 2)) as basis_amount,
        cast(null as decimal(9, 4)) as fee_rate,
        cast(unit_fee as decimal(18, 2)) as unit_amount,
        cast(unit_fee as decimal(18, 2)) as amount,
        currency,
        rule_version,
        left(cast(period_start as {{ dbt.type_string() }}), 7) || ': product ' || product_id || ' had '
        || cast(complaints as {{ dbt.type_string() }})
        || ' complaints over the last three order months against '
        || cast(order_lines as {{ dbt.type_string() }}) || ' order lines this month ('
        || cast(cast(round(100.0 * complaints / order_lines, 1) as decimal(9, 1)) as {{ dbt.type_string() }})
        || ' %, more than '
        || cast(cast(threshold_rate * 100 as decimal(9, 1)) as {{ dbt.type_string() }})
        || ' % with at least ' || cast(minimum_issues as {{ dbt.type_string() }})
        || ' complaints, band ' || price_band || ' SEK): fixed product fee '
        || cast(cast(unit_fee as decimal(18, 2)) as {{ dbt.type_string() }}) || ' ' || currency
            as explanation
    from product_rates
    where
        complaints >= minimum_issues
        and complaints > threshold_rate * order_lines
),

final as (
    select * from issue_fee_lines
    union all
    select * from product_fee_lines
)

select * from final
