{#-
    Fyndiq missing and complaint issues, each attributed to the month and price band of the
    order line it is about (cohort by order month, docs/rules/fyndiq_performance.md). Withdrawn issues never count;
    regret and other issues are not performance issues.
-#}
with issues as (
    select * from {{ ref('stg_landing__customer_issues') }}
    where marketplace = 'fyndiq'
),

order_lines as (
    select * from {{ ref('int_fyndiq_order_lines_banded') }}
),

final as (
    select
        issues.marketplace,
        issues.issue_id,
        issues.issue_type,
        issues.reported_at_utc,
        order_lines.seller_id,
        order_lines.order_id,
        order_lines.line_id,
        order_lines.product_id,
        order_lines.order_month,
        order_lines.price_band,
        order_lines.rule_version
    from issues
    inner join order_lines
        on
            issues.marketplace = order_lines.marketplace
            and issues.order_id = order_lines.order_id
            and issues.line_id = order_lines.line_id
    where
        issues.status != 'withdrawn'
        and issues.issue_type in ('missing', 'complaint')
)

select * from final
