with landing as (
    select * from {{ source('landing', 'messages') }}
)

{{ load_landing_rows('messages') }}
