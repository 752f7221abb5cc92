with landing as (
    select * from {{ source('landing', 'property_scores') }}
)

{{ stage_landing_base('property_scores') }}
