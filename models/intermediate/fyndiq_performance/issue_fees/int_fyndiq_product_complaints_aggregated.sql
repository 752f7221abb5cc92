{#-
    Per product, price band and order month M (complete months only): the product's order
    lines of month M in that band and its complaints of the three order months ending with M
    (M-2, M-1, M), the basis of the Fyndiq product fee. The trailing complaints are every
    non-withdrawn complaint on the product's order lines of those months, whatever fee
    version or price band those months had (a month before the first fee version, a month
    in which the product sold at a price of another band): the band, version and bar of
    month M apply. A product sold in two price bands within month M is evaluated per band,
    each against the product's trailing complaints.
-#}
with seller_months as (
    select * from {{ ref('int_seller_months_spined') }}
    where marketplace = 'fyndiq'
),

order_lines as (
    select * from {{ ref('int_fyndiq_order_lines_banded') }}
),

all_order_lines as (
    select * from {{ ref('int_order_lines_attributed') }}
    where marketplace = 'fyndiq'
),

issues as (
    select * from {{ ref('stg_landing__customer_issues') }}
    where marketplace = 'fyndiq'
),

complaints as (
    select
        issues.marketplace,
        issues.issue_id,
        all_order_lines.seller_id,
        all_order_lines.product_id,
        all_order_lines.order_month
    from issues
    inner join all_order_lines
        on
            issues.marketplace = all_order_lines.marketplace
            and issues.order_id = all_order_lines.order_id
            and issues.line_id = all_order_lines.line_id
    where issues.issue_type = 'complaint' and issues.status != 'withdrawn'
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
