{#-
    Fyndiq order lines with their order month (local, the issues' cohort) and the price band
    of their unit price under the fee schedule in force for that month. Months with no fee
    schedule version (before 2022-11-01 by default) have no band and are left out.
-#}
with order_lines as (
    select * from {{ ref('int_order_lines_attributed') }}
    where marketplace = 'fyndiq'
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

final as (
    select
        order_lines.marketplace,
        order_lines.seller_id,
        order_lines.order_id,
        order_lines.line_id,
        order_lines.product_id,
        order_lines.unit_price,
        order_lines.currency,
        order_lines.order_month,
        bands.price_band,
        bands.rule_version
    from order_lines
    inner join bands
        on
            {{ in_force('bands', 'order_lines.order_month') }}
            and order_lines.unit_price >= bands.price_from
            and (bands.price_to is null or order_lines.unit_price < bands.price_to)
)

select * from final
