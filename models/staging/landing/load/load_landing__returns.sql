with landing as (
    select * from {{ source('landing', 'returns') }}
)

{{ load_landing_rows('returns') }}
