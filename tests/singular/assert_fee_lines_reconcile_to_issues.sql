{#-
    Every Fyndiq missing / complaint fee line reconciles to the issues behind it: its
    issue_count equals the non-withdrawn issues of that type on order lines of that seller,
    order month and price band, and its basis_count the order lines. Returns lines that do not.
-#}
with fee_lines as (
    select * from {{ ref('fct_fee_lines') }}
    where fee_type in ('missing_issue', 'complaint_issue')
),

issues as (
    select * from {{ ref('int_fyndiq_issues_attributed') }}
),

order_lines as (
    select * from {{ ref('int_fyndiq_order_lines_banded') }}
),

issue_counts as (
    select
        marketplace,
        seller_id,
        order_month,
        price_band,
        issue_type || '_issue' as fee_type,
        count(*) as issues
    from issues
    group by marketplace, seller_id, order_month, price_band, issue_type
),

line_counts as (
    select
        marketplace,
        seller_id,
        order_month,
        price_band,
        count(*) as order_lines
    from order_lines
    group by marketplace, seller_id, order_month, price_band
),

final as (
    select
        fee_lines.fee_line_id,
        fee_lines.issue_count,
        issue_counts.issues,
        fee_lines.basis_count,
        line_counts.order_lines
    from fee_lines
    left join issue_counts
        on
            fee_lines.marketplace = issue_counts.marketplace
            and fee_lines.seller_id = issue_counts.seller_id
            and fee_lines.period_start = issue_counts.order_month
            and fee_lines.price_band = issue_counts.price_band
            and fee_lines.fee_type = issue_counts.fee_type
    left join line_counts
        on
            fee_lines.marketplace = line_counts.marketplace
            and fee_lines.seller_id = line_counts.seller_id
            and fee_lines.period_start = line_counts.order_month
            and fee_lines.price_band = line_counts.price_band
    where
        issue_counts.issues is null
        or fee_lines.issue_count != issue_counts.issues
        or fee_lines.basis_count != line_counts.order_lines
)

select * from final
