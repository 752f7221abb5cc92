with base as (
    select * from {{ ref('base_landing__cancellations') }}
)

{{ select_staged_rows('cancellations') }}
