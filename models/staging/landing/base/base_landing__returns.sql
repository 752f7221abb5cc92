with landing as (
    select * from {{ source('landing', 'returns') }}
)

{{ stage_landing_base('returns') }}
