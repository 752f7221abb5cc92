{#-
    Every program's fee lines. fee_line_id is a hash of the line's grain (marketplace, seller,
    program, fee type, period, product, price band): the same charge keeps its id across
    rebuilds, and adding unrelated rows does not change it.
-#}
{%- set program_fees = program_models('fee_lines') -%}

{%- set columns = [
    'marketplace', 'seller_id', 'program_id', 'fee_type', 'period_start', 'period_end', 'billing_month',
    'product_id', 'price_band', 'basis_count', 'issue_count', 'billable_count', 'basis_amount', 'fee_rate',
    'unit_amount', 'amount', 'currency', 'rule_version', 'explanation',
] -%}

with
{{ union_program_models(program_fees, columns) }},

final as (
    select
        {{ surrogate_key([
            'marketplace', 'seller_id', 'program_id', 'fee_type', 'period_start', 'product_id', 'price_band',
        ]) }} as fee_line_id,
        marketplace,
        seller_id,
        program_id,
        fee_type,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(billing_month as date) as billing_month,
        product_id,
        price_band,
        cast(basis_count as bigint) as basis_count,
        cast(issue_count as bigint) as issue_count,
        cast(billable_count as bigint) as billable_count,
        cast(basis_amount as decimal(18, 2)) as basis_amount,
        cast(fee_rate as decimal(9, 4)) as fee_rate,
        cast(unit_amount as decimal(18, 2)) as unit_amount,
        cast(amount as decimal(18, 2)) as amount,
        currency,
        rule_version,
        explanation
    from unioned
)

select * from final
