-- depends_on: {{ ref('base_landing__order_lines') }} (rows must point at a staged order_lines row)
with loaded as (
    select * from {{ ref('load_landing__customer_issues') }}
)

{{ stage_landing_base('customer_issues') }}
