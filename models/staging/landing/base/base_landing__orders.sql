with landing as (
    select * from {{ source('landing', 'orders') }}
)

{{ stage_landing_base('orders') }}
