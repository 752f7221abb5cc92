with landing as (
    select * from {{ source('landing', 'after_sales_requests') }}
)

{{ load_landing_rows('after_sales_requests') }}
