with base as (
    select * from {{ ref('base_landing__messages') }}
)

{{ select_staged_rows('messages') }}
