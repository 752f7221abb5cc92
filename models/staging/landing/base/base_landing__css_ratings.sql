with landing as (
    select * from {{ source('landing', 'css_ratings') }}
)

{{ stage_landing_base('css_ratings') }}
