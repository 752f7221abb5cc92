with landing as (
    select * from {{ source('landing', 'messages') }}
)

{{ stage_landing_base('messages') }}
