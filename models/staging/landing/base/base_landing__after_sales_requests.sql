with landing as (
    select * from {{ source('landing', 'after_sales_requests') }}
)

{{ stage_landing_base('after_sales_requests') }}
