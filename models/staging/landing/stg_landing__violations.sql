with base as (
    select * from {{ ref('base_landing__violations') }}
)

{{ select_staged_rows('violations') }}
