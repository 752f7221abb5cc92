with landing as (
    select * from {{ source('landing', 'cancellations') }}
)

{{ stage_landing_base('cancellations') }}
