with base as (
    select * from {{ ref('base_landing__order_lines') }}
)

{{ select_staged_rows('order_lines') }}
