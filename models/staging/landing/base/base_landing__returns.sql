-- depends_on: {{ ref('base_landing__order_lines') }} (rows must point at a staged order_lines row)
with landing as (
    select * from {{ source('landing', 'returns') }}
)

{{ stage_landing_base('returns') }}
