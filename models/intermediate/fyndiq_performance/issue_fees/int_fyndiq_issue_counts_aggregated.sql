{#-
    Per seller, order month and price band: the order lines and the missing and complaint
    issues on them (issues count in the month of their order). Only complete months.
-#}
with seller_months as (
    select * from {{ ref('int_seller_months_spined') }}
    where marketplace = 'fyndiq'
),

order_lines as (
    select * from {{ ref('int_fyndiq_order_lines_banded') }}
),

issues as (
    select * from {{ ref('int_fyndiq_issues_attributed') }}
),

line_counts as (
    select
        marketplace,
        seller_id,
        order_month,
        price_band,
        max(rule_version) as rule_version,
        max(currency) as currency,
        count(*) as order_lines
    from order_lines
    group by marketplace, seller_id, order_month, price_band
),

issue_counts as (
    select
        marketplace,
        seller_id,
        order_month,
        price_band,
        sum(case when issue_type = 'missing' then 1 else 0 end) as missing_issues,
        sum(case when issue_type = 'complaint' then 1 else 0 end) as complaint_issues
    from issues
    group by marketplace, seller_id, order_month, price_band
),

final as (
    select
        line_counts.marketplace,
        line_counts.seller_id,
        seller_months.period_start,
        seller_months.period_end,
        line_counts.price_band,
        line_counts.rule_version,
        line_counts.currency,
        cast(line_counts.order_lines as bigint) as order_lines,
        cast(coalesce(issue_counts.missing_issues, 0) as bigint) as missing_issues,
        cast(coalesce(issue_counts.complaint_issues, 0) as bigint) as complaint_issues
    from line_counts
    inner join seller_months
        on
            line_counts.marketplace = seller_months.marketplace
            and line_counts.seller_id = seller_months.seller_id
            and line_counts.order_month = seller_months.period_start
    left join issue_counts
        on
            line_counts.marketplace = issue_counts.marketplace
            and line_counts.seller_id = issue_counts.seller_id
            and line_counts.order_month = issue_counts.order_month
            and line_counts.price_band = issue_counts.price_band
)

select * from final
