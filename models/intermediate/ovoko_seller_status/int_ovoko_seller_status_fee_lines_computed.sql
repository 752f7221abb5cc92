{#-
    The Below Standard success-fee surcharge (docs/rules/ovoko_seller_status.md): while a seller is below_standard
    in status month S, the success fee is status_fee_rate instead of standard_fee_rate of the
    item price excluding VAT. One line per seller and status month S: the difference on the
    items sold in S (ordered minus cancelled, at unit_price / (1 + vat_rate)), billed in
    S + billing_lag_months. No line when the seller registered fewer than
    new_seller_exemption_days days before S starts, and none for an S not yet complete.
-#}
with statuses as (
    select * from {{ ref('int_ovoko_seller_status_statuses_decided') }}
),

order_lines as (
    select * from {{ ref('int_ovoko_order_lines_attributed') }}
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

fees as (
    select * from {{ ref('ovoko_seller_status__fees') }}
),

status_months as (
    select
        statuses.marketplace,
        statuses.seller_id,
        statuses.program_id,
        statuses.valid_from as status_month,
        statuses.valid_to as status_month_end,
        statuses.period_start as performance_month,
        fees.rule_version,
        fees.fee_type,
        fees.standard_fee_rate,
        fees.status_fee_rate,
        fees.billing_lag_months,
        fees.currency,
        {{ dbt.datediff(
            'cast(' ~ utc_to_local('sellers.registered_at_utc', 'sellers.effective_timezone') ~ ' as date)',
            'statuses.valid_from',
            'day'
        ) }} as days_registered,
        fees.new_seller_exemption_days
    from statuses
    inner join fees
        on
            statuses.status = fees.applies_to_status
            and {{ in_force('fees', 'statuses.valid_from') }}
    inner join sellers
        on
            statuses.marketplace = sellers.marketplace
            and statuses.seller_id = sellers.seller_id
    where statuses.valid_to < {{ evaluation_date() }}
),

items_sold as (
    select
        marketplace,
        seller_id,
        order_month,
        max(currency) as currency,
        sum(ordered_quantity - cancelled_quantity) as items_sold,
        sum(
            (ordered_quantity - cancelled_quantity)
            * cast(unit_price / (1 + vat_rate) as decimal(18, 4))
        ) as net_sales
    from order_lines
    group by marketplace, seller_id, order_month
),

final as (
    select
        status_months.marketplace,
        status_months.seller_id,
        status_months.program_id,
        status_months.fee_type,
        status_months.status_month as period_start,
        status_months.status_month_end as period_end,
        cast({{ dbt.dateadd('month', 'status_months.billing_lag_months', 'status_months.status_month') }} as date)
            as billing_month,
        cast(null as {{ dbt.type_string() }}) as product_id,
        cast(null as {{ dbt.type_string() }}) as price_band,
        cast(items_sold.items_sold as bigint) as basis_count,
        cast(null as bigint) as issue_count,
        cast(items_sold.items_sold as bigint) as billable_count,
        cast(items_sold.net_sales as decimal(18, 2)) as basis_amount,
        cast(status_months.status_fee_rate - status_months.standard_fee_rate as decimal(9, 4)) as fee_rate,
        cast(null as decimal(18, 2)) as unit_amount,
        {#- charged on the net sales rounded to cents, so amount = round(basis_amount x fee_rate, 2) -#}
        cast(
            round(
                cast(items_sold.net_sales as decimal(18, 2))
                * (status_months.status_fee_rate - status_months.standard_fee_rate),
                2
            )
            as decimal(18, 2)
        ) as amount,
        coalesce(items_sold.currency, status_months.currency) as currency,
        status_months.rule_version,
        left(cast(status_months.status_month as {{ dbt.type_string() }}), 7)
        || ': Below Standard (earned in '
        || left(cast(status_months.performance_month as {{ dbt.type_string() }}), 7)
        || '), so the success fee is '
        || cast(cast(status_months.status_fee_rate * 100 as decimal(9, 1)) as {{ dbt.type_string() }})
        || ' % instead of '
        || cast(cast(status_months.standard_fee_rate * 100 as decimal(9, 1)) as {{ dbt.type_string() }})
        || ' %: '
        || cast(cast(
            (status_months.status_fee_rate - status_months.standard_fee_rate) * 100 as decimal(9, 1)
        ) as {{ dbt.type_string() }})
        || ' % of '
        || cast(cast(items_sold.net_sales as decimal(18, 2)) as {{ dbt.type_string() }})
        || ' ' || coalesce(items_sold.currency, status_months.currency)
        || ' (' || cast(items_sold.items_sold as {{ dbt.type_string() }})
        || ' items sold, price excluding VAT)' as explanation
    from status_months
    inner join items_sold
        on
            status_months.marketplace = items_sold.marketplace
            and status_months.seller_id = items_sold.seller_id
            and status_months.status_month = items_sold.order_month
    where
        status_months.days_registered >= status_months.new_seller_exemption_days
        and items_sold.items_sold > 0
)

select * from final
