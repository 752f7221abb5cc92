with base as (
    select * from {{ ref('base_landing__program_memberships') }}
)

{{ select_staged_rows('program_memberships') }}
