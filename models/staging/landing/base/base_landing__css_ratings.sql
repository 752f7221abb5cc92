-- depends_on: {{ ref('base_landing__sellers') }} (rows must point at a staged sellers row)
with landing as (
    select * from {{ source('landing', 'css_ratings') }}
)

{{ stage_landing_base('css_ratings') }}
