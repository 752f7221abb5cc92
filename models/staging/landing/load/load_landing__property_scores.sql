with landing as (
    select * from {{ source('landing', 'property_scores') }}
)

{{ load_landing_rows('property_scores') }}
