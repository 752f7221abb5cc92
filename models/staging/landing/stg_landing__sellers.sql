with base as (
    select * from {{ ref('base_landing__sellers') }}
)

{{ select_staged_rows('sellers') }}
