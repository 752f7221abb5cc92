with landing as (
    select * from {{ source('landing', 'return_reason_corrections') }}
)

{{ stage_landing_base('return_reason_corrections') }}
