with landing as (
    select * from {{ source('landing', 'sellers') }}
)

{{ load_landing_rows('sellers') }}
