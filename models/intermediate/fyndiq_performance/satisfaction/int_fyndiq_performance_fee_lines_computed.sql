{#-
    Fyndiq CSS fee lines (docs/rules/fyndiq_performance.md, CSS part), fees of fyndiq_performance__css_fees in
    force on the performance month M whose CSS decided the action:
      - css_dissatisfied: when M's action carries the fee, unit_fee per dissatisfied rating
        of M; a line of month M, billed billing_lag_months later (M+1);
      - assisted_service: when M's action is assisted service, unit_fee per complaint issue
        (not withdrawn) of the seller's orders reported in the service month (the month the
        action applies, M+1, by the local month of reported_at); a line of the service month,
        billed billing_lag_months after it (M+2). Only once the service month is complete,
        and no line for a service month without complaints.
-#}
with css_months as (
    select * from {{ ref('int_fyndiq_css_months_laddered') }}
),

fees as (
    select * from {{ ref('fyndiq_performance__css_fees') }}
),

issues as (
    select * from {{ ref('stg_landing__customer_issues') }}
    where marketplace = 'fyndiq'
),

orders as (
    select * from {{ ref('stg_landing__orders') }}
    where marketplace = 'fyndiq'
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

complaints_reported as (
    select
        issues.marketplace,
        orders.seller_id,
        cast({{ dbt.date_trunc(
            'month', utc_to_local('issues.reported_at_utc', 'sellers.effective_timezone')
        ) }} as date) as reported_month,
        count(*) as complaints
    from issues
    inner join orders
        on
            issues.marketplace = orders.marketplace
            and issues.order_id = orders.order_id
    inner join sellers
        on
            orders.marketplace = sellers.marketplace
            and orders.seller_id = sellers.seller_id
    where
        issues.issue_type = 'complaint'
        and issues.status != 'withdrawn'
    group by
        issues.marketplace,
        orders.seller_id,
        cast({{ dbt.date_trunc(
            'month', utc_to_local('issues.reported_at_utc', 'sellers.effective_timezone')
        ) }} as date)
),

css_fee_lines as (
    select
        css_months.marketplace,
        css_months.seller_id,
        css_months.program_id,
        fees.fee_type,
        css_months.period_start,
        css_months.period_end,
        cast({{ dbt.dateadd('month', 'fees.billing_lag_months', 'css_months.period_start') }} as date)
            as billing_month,
        cast(null as {{ dbt.type_string() }}) as product_id,
        cast(null as {{ dbt.type_string() }}) as price_band,
        css_months.ratings as basis_count,
        css_months.dissatisfied_ratings as issue_count,
        css_months.dissatisfied_ratings as billable_count,
        cast(null as decimal(18, 2)) as basis_amount,
        cast(null as decimal(9, 4)) as fee_rate,
        cast(fees.unit_fee as decimal(18, 2)) as unit_amount,
        cast(css_months.dissatisfied_ratings * fees.unit_fee as decimal(18, 2)) as amount,
        fees.currency,
        fees.rule_version,
        left(cast(css_months.period_start as {{ dbt.type_string() }}), 7)
        || ': customer satisfaction '
        || cast(cast(round(100 * css_months.css, 1) as decimal(9, 1)) as {{ dbt.type_string() }})
        || ' % (' || cast(css_months.satisfied_ratings as {{ dbt.type_string() }})
        || ' of ' || cast(css_months.ratings as {{ dbt.type_string() }})
        || ' ratings satisfied), below '
        || cast(cast(round(100 * css_months.css_bar, 1) as decimal(9, 1)) as {{ dbt.type_string() }})
        || ' % for month ' || cast(css_months.consecutive_months_below as {{ dbt.type_string() }})
        || ' in a row (' || css_months.action || '): '
        || cast(css_months.dissatisfied_ratings as {{ dbt.type_string() }}) || ' dissatisfied ratings x '
        || cast(cast(fees.unit_fee as decimal(18, 2)) as {{ dbt.type_string() }}) || ' ' || fees.currency
        || ' = '
        || cast(cast(css_months.dissatisfied_ratings * fees.unit_fee as decimal(18, 2)) as {{ dbt.type_string() }})
        || ' ' || fees.currency as explanation
    from css_months
    inner join fees
        on
            fees.fee_type = 'css_dissatisfied'
            and {{ in_force('fees', 'css_months.period_start') }}
    where
        css_months.has_css_fee
        and css_months.dissatisfied_ratings > 0
),

service_months as (
    select
        css_months.*,
        fees.fee_type,
        fees.unit_fee,
        fees.billing_lag_months,
        fees.currency,
        fees.rule_version as fee_rule_version
    from css_months
    inner join fees
        on
            fees.fee_type = 'assisted_service'
            and {{ in_force('fees', 'css_months.period_start') }}
    where
        css_months.has_assisted_service
        and css_months.action_month_end < {{ evaluation_date() }}
),

assisted_service_lines as (
    select
        service_months.marketplace,
        service_months.seller_id,
        service_months.program_id,
        service_months.fee_type,
        service_months.action_month_start as period_start,
        service_months.action_month_end as period_end,
        cast({{ dbt.dateadd(
            'month', 'service_months.billing_lag_months', 'service_months.action_month_start'
        ) }} as date) as billing_month,
        cast(null as {{ dbt.type_string() }}) as product_id,
        cast(null as {{ dbt.type_string() }}) as price_band,
        cast(complaints_reported.complaints as bigint) as basis_count,
        cast(complaints_reported.complaints as bigint) as issue_count,
        cast(complaints_reported.complaints as bigint) as billable_count,
        cast(null as decimal(18, 2)) as basis_amount,
        cast(null as decimal(9, 4)) as fee_rate,
        cast(service_months.unit_fee as decimal(18, 2)) as unit_amount,
        cast(complaints_reported.complaints * service_months.unit_fee as decimal(18, 2)) as amount,
        service_months.currency,
        service_months.fee_rule_version as rule_version,
        left(cast(service_months.action_month_start as {{ dbt.type_string() }}), 7)
        || ': Fyndiq handled your customer service (assisted service, because customer satisfaction in '
        || left(cast(service_months.period_start as {{ dbt.type_string() }}), 7) || ' was '
        || cast(cast(round(100 * service_months.css, 1) as decimal(9, 1)) as {{ dbt.type_string() }})
        || ' %, below '
        || cast(cast(round(100 * service_months.css_bar, 1) as decimal(9, 1)) as {{ dbt.type_string() }})
        || ' %): ' || cast(complaints_reported.complaints as {{ dbt.type_string() }})
        || ' complaints reported x '
        || cast(cast(service_months.unit_fee as decimal(18, 2)) as {{ dbt.type_string() }})
        || ' ' || service_months.currency || ' = '
        || cast(
            cast(complaints_reported.complaints * service_months.unit_fee as decimal(18, 2))
            as {{ dbt.type_string() }}
        )
        || ' ' || service_months.currency as explanation
    from service_months
    inner join complaints_reported
        on
            service_months.marketplace = complaints_reported.marketplace
            and service_months.seller_id = complaints_reported.seller_id
            and service_months.action_month_start = complaints_reported.reported_month
),

final as (
    select * from css_fee_lines
    union all
    select * from assisted_service_lines
)

select * from final
