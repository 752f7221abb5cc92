{#-
    Fyndiq order lines with their order month (local, the issues' cohort) and the price band
    of their unit price under the fee schedule in force for that month. Months with no fee
    schedule version (before 2022-11-01 by default) have no band and are left out.
-#}
with orders as (
    select * from {{ ref('stg_landing__orders') }}
    where marketplace = 'fyndiq'
),

order_lines as (
    select * from {{ ref('stg_landing__order_lines') }}
    where marketplace = 'fyndiq'
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

bands as (
    select distinct
        rule_version,
        valid_from,
        valid_to,
        price_band,
        price_from,
        price_to
    from {{ ref('fyndiq_performance__fee_schedule') }}
),

lines_in_months as (
    select
        order_lines.marketplace,
        orders.seller_id,
        order_lines.order_id,
        order_lines.line_id,
        order_lines.product_id,
        order_lines.unit_price,
        orders.currency,
        cast({{ dbt.date_trunc('month', utc_to_local('orders.ordered_at_utc', 'sellers.effective_timezone')) }} as date)
            as order_month
    from order_lines
    inner join orders
        on
            order_lines.marketplace = orders.marketplace
            and order_lines.order_id = orders.order_id
    inner join sellers
        on
            orders.marketplace = sellers.marketplace
            and orders.seller_id = sellers.seller_id
),

final as (
    select
        lines_in_months.*,
        bands.price_band,
        bands.rule_version
    from lines_in_months
    inner join bands
        on
            {{ in_force('bands', 'lines_in_months.order_month') }}
            and lines_in_months.unit_price >= bands.price_from
            and (bands.price_to is null or lines_in_months.unit_price < bands.price_to)
)

select * from final
