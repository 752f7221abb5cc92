with base as (
    select * from {{ ref('base_landing__after_sales_requests') }}
)

{{ select_staged_rows('after_sales_requests') }}
