-- depends_on: {{ ref('base_landing__orders') }} (rows must point at a staged orders row)
with landing as (
    select * from {{ source('landing', 'cancellations') }}
)

{{ stage_landing_base('cancellations') }}
