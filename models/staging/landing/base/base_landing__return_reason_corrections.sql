-- depends_on: {{ ref('base_landing__returns') }} (rows must point at a staged returns row)
with landing as (
    select * from {{ source('landing', 'return_reason_corrections') }}
)

{{ stage_landing_base('return_reason_corrections') }}
