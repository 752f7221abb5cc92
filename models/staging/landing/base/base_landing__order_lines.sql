with landing as (
    select * from {{ source('landing', 'order_lines') }}
)

{{ stage_landing_base('order_lines') }}
