with landing as (
    select * from {{ source('landing', 'violations') }}
)

{{ load_landing_rows('violations') }}
