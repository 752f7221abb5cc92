with landing as (
    select * from {{ source('landing', 'customer_issues') }}
)

{{ load_landing_rows('customer_issues') }}
