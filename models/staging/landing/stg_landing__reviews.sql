with base as (
    select * from {{ ref('base_landing__reviews') }}
)

{{ select_staged_rows('reviews') }}
