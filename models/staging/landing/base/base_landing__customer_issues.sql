with landing as (
    select * from {{ source('landing', 'customer_issues') }}
)

{{ stage_landing_base('customer_issues') }}
