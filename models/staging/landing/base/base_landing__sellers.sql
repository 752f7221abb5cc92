with landing as (
    select * from {{ source('landing', 'sellers') }}
)

{{ stage_landing_base('sellers') }}
