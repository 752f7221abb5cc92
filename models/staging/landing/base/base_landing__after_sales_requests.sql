-- depends_on: {{ ref('base_landing__orders') }} (rows must point at a staged orders row)
with landing as (
    select * from {{ source('landing', 'after_sales_requests') }}
)

{{ stage_landing_base('after_sales_requests') }}
