-- depends_on: {{ ref('base_landing__after_sales_requests') }} (rows must point at a staged after_sales_requests row)
with loaded as (
    select * from {{ ref('load_landing__disputes') }}
)

{{ stage_landing_base('disputes') }}
