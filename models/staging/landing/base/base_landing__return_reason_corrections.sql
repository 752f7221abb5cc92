-- depends_on: {{ ref('base_landing__returns') }} (rows must point at a staged returns row)
with loaded as (
    select * from {{ ref('load_landing__return_reason_corrections') }}
)

{{ stage_landing_base('return_reason_corrections') }}
