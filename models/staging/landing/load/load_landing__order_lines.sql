with landing as (
    select * from {{ source('landing', 'order_lines') }}
)

{{ load_landing_rows('order_lines') }}
