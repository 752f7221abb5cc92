with landing as (
    select * from {{ source('landing', 'reviews') }}
)

{{ stage_landing_base('reviews') }}
