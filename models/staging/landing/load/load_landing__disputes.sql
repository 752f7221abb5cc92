with landing as (
    select * from {{ source('landing', 'disputes') }}
)

{{ load_landing_rows('disputes') }}
