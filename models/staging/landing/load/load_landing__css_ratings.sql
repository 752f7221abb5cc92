with landing as (
    select * from {{ source('landing', 'css_ratings') }}
)

{{ load_landing_rows('css_ratings') }}
