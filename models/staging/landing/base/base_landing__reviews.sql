-- depends_on: {{ ref('base_landing__sellers') }} (rows must point at a staged sellers row)
with landing as (
    select * from {{ source('landing', 'reviews') }}
)

{{ stage_landing_base('reviews') }}
