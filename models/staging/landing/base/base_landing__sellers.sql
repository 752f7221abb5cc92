with loaded as (
    select * from {{ ref('load_landing__sellers') }}
)

{{ stage_landing_base('sellers') }}
