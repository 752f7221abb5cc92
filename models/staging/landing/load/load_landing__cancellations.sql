with landing as (
    select * from {{ source('landing', 'cancellations') }}
)

{{ load_landing_rows('cancellations') }}
