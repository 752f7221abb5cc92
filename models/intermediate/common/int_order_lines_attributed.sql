{#-
    Every staged order line with its order's seller, currency, sale time and the local month
    of the sale (in the seller's time zone): the month a line's items and issues count in.
-#}
with orders as (
    select * from {{ ref('stg_landing__orders') }}
),

order_lines as (
    select * from {{ ref('stg_landing__order_lines') }}
),

sellers as (
    select * from {{ ref('stg_landing__sellers') }}
),

final as (
    select
        order_lines.marketplace,
        orders.seller_id,
        order_lines.order_id,
        order_lines.line_id,
        order_lines.product_id,
        order_lines.quantity,
        order_lines.unit_price,
        order_lines.vat_rate,
        orders.currency,
        orders.ordered_at_utc,
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
)

select * from final
