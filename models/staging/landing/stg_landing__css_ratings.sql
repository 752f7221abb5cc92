with base as (
    select * from {{ ref('base_landing__css_ratings') }}
)

{{ select_staged_rows('css_ratings') }}
