-- depends_on: {{ ref('base_landing__orders') }} (rows must point at a staged orders row)
with loaded as (
    select * from {{ ref('load_landing__order_lines') }}
)

{{ stage_landing_base('order_lines') }}
