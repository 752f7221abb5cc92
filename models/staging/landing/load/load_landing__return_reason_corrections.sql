with landing as (
    select * from {{ source('landing', 'return_reason_corrections') }}
)

{{ load_landing_rows('return_reason_corrections') }}
