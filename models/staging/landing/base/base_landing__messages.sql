-- depends_on: {{ ref('base_landing__sellers') }} (rows must point at a staged sellers row)
with loaded as (
    select * from {{ ref('load_landing__messages') }}
)

{{ stage_landing_base('messages') }}
