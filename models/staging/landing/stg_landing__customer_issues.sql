with base as (
    select * from {{ ref('base_landing__customer_issues') }}
)

{{ select_staged_rows('customer_issues') }}
