with base as (
    select * from {{ ref('base_landing__orders') }}
)

{{ select_staged_rows('orders') }}
