with landing as (
    select * from {{ source('landing', 'reviews') }}
)

{{ load_landing_rows('reviews') }}
