{#-
    Per product, price band and order month M (complete months only): the product's order
    lines of month M and its complaints of the three order months ending with M (M-2, M-1, M),
    the basis of the Fyndiq product fee.
-#}
with seller_months as (
    select * from {{ ref('int_seller_months_spined') }}
    where marketplace = 'fyndiq'
),

order_lines as (
    select * from {{ ref('int_fyndiq_order_lines_banded') }}
),

complaints as (
    select * from {{ ref('int_fyndiq_issues_attributed') }}
    where issue_type = 'complaint'
),

product_lines as (
    select
        marketplace,
        seller_id,
        product_id,
        price_band,
        order_month,
        max(rule_version) as rule_version,
        max(currency) as currency,
        count(*) as order_lines
    from order_lines
    group by marketplace, seller_id, product_id, price_band, order_month
),

trailing_complaints as (
    select
        product_lines.marketplace,
        product_lines.seller_id,
        product_lines.product_id,
        product_lines.price_band,
        product_lines.order_month,
        count(complaints.issue_id) as complaints
    from product_lines
    left join complaints
        on
            product_lines.marketplace = complaints.marketplace
            and product_lines.seller_id = complaints.seller_id
            and product_lines.product_id = complaints.product_id
            and product_lines.price_band = complaints.price_band
            and product_lines.order_month >= complaints.order_month
            and complaints.order_month >= cast({{ dbt.dateadd('month', -2, 'product_lines.order_month') }} as date)
    group by
        product_lines.marketplace,
        product_lines.seller_id,
        product_lines.product_id,
        product_lines.price_band,
        product_lines.order_month
),

final as (
    select
        product_lines.marketplace,
        product_lines.seller_id,
        product_lines.product_id,
        product_lines.price_band,
        seller_months.period_start,
        seller_months.period_end,
        product_lines.rule_version,
        product_lines.currency,
        cast(product_lines.order_lines as bigint) as order_lines,
        cast(trailing_complaints.complaints as bigint) as trailing_complaints
    from product_lines
    inner join trailing_complaints
        on
            product_lines.marketplace = trailing_complaints.marketplace
            and product_lines.seller_id = trailing_complaints.seller_id
            and product_lines.product_id = trailing_complaints.product_id
            and product_lines.price_band = trailing_complaints.price_band
            and product_lines.order_month = trailing_complaints.order_month
    inner join seller_months
        on
            product_lines.marketplace = seller_months.marketplace
            and product_lines.seller_id = seller_months.seller_id
            and product_lines.order_month = seller_months.period_start
)

select * from final
