with base as (
    select * from {{ ref('base_landing__returns') }}
)

{{ select_staged_rows('returns') }}
