-- depends_on: {{ ref('base_landing__sellers') }} (rows must point at a staged sellers row)
with landing as (
    select * from {{ source('landing', 'property_scores') }}
)

{{ stage_landing_base('property_scores') }}
