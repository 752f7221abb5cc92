with base as (
    select * from {{ ref('base_landing__disputes') }}
)

{{ select_staged_rows('disputes') }}
