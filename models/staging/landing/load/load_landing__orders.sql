with landing as (
    select * from {{ source('landing', 'orders') }}
)

{{ load_landing_rows('orders') }}
