-- depends_on: {{ ref('base_landing__orders') }} (rows must point at a staged orders row)
with loaded as (
    select * from {{ ref('load_landing__after_sales_requests') }}
)

{{ stage_landing_base('after_sales_requests') }}
