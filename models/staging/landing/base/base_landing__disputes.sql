with landing as (
    select * from {{ source('landing', 'disputes') }}
)

{{ stage_landing_base('disputes') }}
