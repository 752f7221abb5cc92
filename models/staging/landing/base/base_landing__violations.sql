with landing as (
    select * from {{ source('landing', 'violations') }}
)

{{ stage_landing_base('violations') }}
