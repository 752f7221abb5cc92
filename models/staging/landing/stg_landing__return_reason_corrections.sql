with base as (
    select * from {{ ref('base_landing__return_reason_corrections') }}
)

{{ select_staged_rows('return_reason_corrections') }}
