with base as (
    select * from {{ ref('base_landing__property_scores') }}
)

{{ select_staged_rows('property_scores') }}
